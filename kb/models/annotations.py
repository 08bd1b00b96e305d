"""Editors' annotations with their references, and review decisions on import candidates."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from kb.models.choices import Anchoring


class AnnotationQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)

    def with_related(self):
        """Author, target and references, without loading any source text."""
        return self.select_related(
            "author", "claim", "citation", "citation__source", "source"
        ).defer(
            "citation__source__text", "citation__source__original", "source__text", "source__original"
        ).prefetch_related("references")


class Annotation(models.Model):
    """An editor's note on exactly one target: a claim, a citation, or a selection of a source's text.

    A selection is stored as a W3C position selector (start, end) and quote selector
    (quote, prefix, suffix); `source.text[start:end] == quote` when it is written.
    """

    class Kind(models.TextChoices):
        CONTEXT = "context", "context"
        CORRECTION = "correction", "correction"
        DISPUTE = "dispute", "dispute"
        SUPPORT = "support", "support"
        QUESTION = "question", "question"

    # Placed in the text exactly as citations are, so the same states (one definition).
    Anchoring = Anchoring

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONTEXT)
    body = models.TextField(help_text="Markdown. Raw HTML is not allowed.")
    claim = models.ForeignKey(
        "kb.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    citation = models.ForeignKey(
        "kb.Citation", null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    source = models.ForeignKey(
        "kb.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="annotations"
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    prefix = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=200, blank=True)
    anchoring = models.CharField(max_length=20, choices=Anchoring.choices, default=Anchoring.EXACT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("hide_annotation", "Can hide and unhide any annotation")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(claim__isnull=False, citation__isnull=True, source__isnull=True)
                    | Q(claim__isnull=True, citation__isnull=False, source__isnull=True)
                    | Q(claim__isnull=True, citation__isnull=True, source__isnull=False)
                ),
                name="annotation_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True, start__isnull=True, end__isnull=True)
                | Q(source__isnull=False, start__gte=0, end__gt=F("start")),
                name="annotation_selection_range",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "start"], name="annotation_source_start"),
            models.Index(fields=["is_hidden", "created_at"], name="annotation_recent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author_id}: {self.body[:60]}"

    def get_absolute_url(self):
        if self.claim_id:
            return f"/claims/{self.claim_id}/#annotation-{self.pk}"
        if self.citation_id:
            return f"/claims/{self.citation.claim_id}/#annotation-{self.pk}"
        return f"{self.source.get_absolute_url()}#annotation-{self.pk}"

    @property
    def target_label(self) -> str:
        if self.claim_id:
            return "claim"
        if self.citation_id:
            return "citation"
        return "passage"


class AnnotationReference(models.Model):
    """A source an annotation itself cites."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="references")
    url = models.URLField("URL", max_length=2000)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=300, blank=True)
    accessed = models.DateField("date accessed", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["annotation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="annotationreference_http_url",
            ),
        ]

    def __str__(self):
        return self.title


class ReviewDecision(models.Model):
    """What an editor decided about an import candidate, and why."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "accepted"
        MERGED = "merged", "merged into an existing claim"
        REJECTED = "rejected", "rejected"

    claim = models.ForeignKey("kb.Claim", on_delete=models.CASCADE, related_name="review_decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    target = models.ForeignKey(
        "kb.Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="merged") | Q(target__isnull=False),
                name="reviewdecision_merge_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.decision}"
