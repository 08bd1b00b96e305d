"""SQLite's full-text index of the claims (FTS5): PostgreSQL searches its own GIN indexes.

`kb_claim_fts` holds, per claim (rowid = the claim's id), its statement and the quotes of its
citations. It is created, filled and kept in sync by triggers on kb_claim and kb_citation
(migration 0021, SQLite only), so every write (services, bulk loads, the admin) keeps it.
"""
from django.db import models
from django.db.models import Lookup

from kb.models.claims import Claim


class FullTextDocument(models.TextField):
    """The FTS5 table's hidden column named after the table: `document__match` is MATCH."""


@FullTextDocument.register_lookup
class Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ClaimText(models.Model):
    claim = models.OneToOneField(Claim, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING,
                                 related_name="text_index")
    statement = models.TextField()
    quotes = models.TextField()
    document = FullTextDocument(db_column="kb_claim_fts")
    rank = models.FloatField()  # FTS5's bm25: lower is a better match

    class Meta:
        managed = False
        db_table = "kb_claim_fts"
