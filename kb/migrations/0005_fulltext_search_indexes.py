"""GIN indexes for PostgreSQL full-text search over claim statements and citation quotes.

The expressions match what `kb.selectors.claims._search` filters on, so the planner can use them.
SQLite has no such index; there the search falls back to plain matching.
"""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("Claim", GinIndex(SearchVector("statement", config="english"), name="claim_statement_fts")),
    ("Citation", GinIndex(SearchVector("quote", config="english"), name="citation_quote_fts")),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES:
        schema_editor.add_index(apps.get_model("kb", model_name), index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES:
        schema_editor.remove_index(apps.get_model("kb", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("kb", "0004_role_groups")]
    operations = [migrations.RunPython(create, drop)]
