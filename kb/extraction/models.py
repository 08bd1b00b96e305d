"""What the extractor found about a candidate, and the shingle index for circular reporting.

Imported at the end of kb/models.py, so these belong to the kb app.
"""
from django.db import models

__all__ = ["CandidateDetail", "SourceShingle"]


class CandidateDetail(models.Model):
    """The extractor's findings for one candidate claim, for the reviewer.

    The claim holds what an editor edits (statement, date, credibility with its rationale, the
    citation with attribution and stance); this keeps the evidence behind those suggestions.
    """

    claim = models.OneToOneField("kb.Claim", on_delete=models.CASCADE, related_name="extraction")
    new_names = models.JSONField(
        default=list, blank=True, help_text="Capitalised names that match no known entity."
    )
    hedges = models.JSONField(default=list, blank=True)
    anonymous_attribution = models.BooleanField(default=False)
    date_basis = models.CharField(
        max_length=20, blank=True,
        help_text="Where the date came from: explicit, relative (resolved), section, introduction.",
    )
    match_score = models.FloatField(
        null=True, blank=True, help_text="Token-set similarity (0–100) with the suggested match."
    )
    reasons = models.JSONField(default=list, blank=True, help_text="Why the credibility was suggested.")

    class Meta:
        verbose_name = "candidate detail"

    def __str__(self):
        return f"extraction for claim {self.claim_id}"


class SourceShingle(models.Model):
    """A winnowed 5-word shingle hash of a source's content text (see kb.overlap).

    Winnowing keeps the smallest of every four consecutive shingle hashes, so two texts that
    share a run of eight or more words always share a kept hash; one indexed `hash__in`
    query finds them.
    """

    source = models.ForeignKey("kb.Source", on_delete=models.CASCADE, related_name="shingles")
    hash = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["hash", "source"], name="sourceshingle_hash_source")]
        constraints = [
            models.UniqueConstraint(fields=["source", "hash"], name="sourceshingle_unique"),
        ]

    def __str__(self):
        return f"{self.source_id}:{self.hash}"
