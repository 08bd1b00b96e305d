"""Matching finds its shortlist through the full-text GIN indexes of migration 0005 (key words of
each candidate), then ranks at most a few hundred rows per candidate with pg_trgm's similarity();
the trigram GIN indexes of 0010 are not used by it and cost every write, so they go. The pg_trgm
extension stays: similarity() needs it. PostgreSQL only."""
from django.db import migrations

INDEXES = [
    ("kb_claim_statement_trgm", "kb_claim", "statement"),
    ("kb_citation_quote_trgm", "kb_citation", "quote"),
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("kb", "0011_api_tokens_and_wikidata_ids")]
    operations = [migrations.RunPython(drop, create)]
