"""Claimbook's data model.

A source's text is stored once, exactly as imported; sections, passages, citations and
non-claim marks are character ranges over it, so every one can be checked against the
text at any time (`source.text[start:end]`).
"""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager


class Reliability(models.TextChoices):
    """NATO Admiralty code: how far the source itself can be trusted."""

    A = "A", "completely reliable"
    B = "B", "usually reliable"
    C = "C", "fairly reliable"
    D = "D", "not usually reliable"
    E = "E", "unreliable"
    F = "F", "reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """NATO Admiralty code: how far the claim itself is borne out."""

    CONFIRMED = 1, "confirmed by other independent sources"
    PROBABLE = 2, "probably true"
    POSSIBLE = 3, "possibly true"
    DOUBTFUL = 4, "doubtful"
    IMPROBABLE = 5, "improbable"
    UNKNOWN = 6, "truth cannot be judged"


class SourceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def real(self):
        return self.filter(is_synthetic=False)


class Source(models.Model):
    class Kind(models.TextChoices):
        ENCYCLOPEDIA = "encyclopedia", "encyclopedia"
        NEWS = "news", "news"
        ANALYSIS = "analysis", "analysis"
        BLOG = "blog", "blog"
        GOVERNMENT = "government", "government report"
        TRANSCRIPT = "transcript", "transcript"
        OTHER = "other", "other"

    class Format(models.TextChoices):
        WIKITEXT = "wikitext", "wikitext"
        MARKDOWN = "markdown", "Markdown"
        HTML = "html", "HTML"
        PLAIN = "plain", "plain text"

    slug = models.SlugField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    publisher = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_edtf = models.CharField("publication date (EDTF)", max_length=100, blank=True)
    published_earliest = models.DateField(null=True, blank=True)
    published_latest = models.DateField(null=True, blank=True)
    retrieved = models.DateField("retrieval date", null=True, blank=True)
    language = models.CharField(max_length=20, default="en")
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    reliability_note = models.TextField(blank=True)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.PLAIN)
    encoding = models.CharField(max_length=40, blank=True)
    filename = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    text_length = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # The bytes as received, kept only when the stored text was extracted from them (HTML).
    original = models.BinaryField(null=True, blank=True, editable=False)
    is_synthetic = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="source_slug_version_unique"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_current=True), name="source_one_current_version"
            ),
            models.CheckConstraint(
                condition=Q(text_length=Length("text")), name="source_text_length_matches"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="source_version_positive"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})" if self.version > 1 else self.title

    def get_absolute_url(self):
        if self.is_current:
            return reverse("source-detail", args=[self.slug])
        return reverse("source-version", args=[self.slug, self.version])

    @property
    def reliability_label(self) -> str:
        return Reliability(self.reliability).label

    def orphaned_citations(self):
        """Citations on any version of this source that a new version could not place."""
        from kb.anchoring import orphaned_citations

        return orphaned_citations(self)


class RangeCheck:
    """Constraints shared by every character range over a source's text."""

    @staticmethod
    def constraints(prefix: str, *, allow_empty: bool = False):
        ordered = Q(end__gte=F("start")) if allow_empty else Q(end__gt=F("start"))
        return [
            models.CheckConstraint(condition=Q(start__gte=0), name=f"{prefix}_start_nonnegative"),
            models.CheckConstraint(condition=ordered, name=f"{prefix}_range_ordered"),
        ]


class Section(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=1000)
    level = models.PositiveSmallIntegerField()
    anchor = models.CharField(max_length=120)
    # The heading itself, and the whole section (heading to the next heading of its level or above).
    heading_start = models.PositiveIntegerField()
    heading_end = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["source", "order"]
        constraints = [
            *RangeCheck.constraints("section"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="section_level_1_to_6"
            ),
            models.CheckConstraint(
                condition=Q(heading_start__gte=F("start"), heading_end__lte=F("end"))
                & Q(heading_end__gt=F("heading_start")),
                name="section_heading_inside_section",
            ),
            models.UniqueConstraint(fields=["source", "order"], name="section_order_unique"),
            models.UniqueConstraint(fields=["source", "anchor"], name="section_anchor_unique"),
        ]

    def __str__(self):
        return f"{'#' * self.level} {self.title}"


class Passage(models.Model):
    class Kind(models.TextChoices):
        HEADING = "heading", "heading"
        PARAGRAPH = "paragraph", "paragraph"
        QUOTE = "quote", "quote block"
        LIST_ITEM = "list_item", "list item"
        BOILERPLATE = "boilerplate", "boilerplate"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="passages"
    )
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    anchor = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # Why a boilerplate passage was set apart ("table of contents", "link list", ...).
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["source", "order"]
        constraints = [
            *RangeCheck.constraints("passage"),
            models.UniqueConstraint(fields=["source", "order"], name="passage_order_unique"),
            models.UniqueConstraint(fields=["source", "anchor"], name="passage_anchor_unique"),
        ]
        indexes = [models.Index(fields=["source", "start"], name="passage_source_start")]

    def __str__(self):
        return f"{self.source.slug}#{self.anchor}"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#{self.anchor}"


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "person"
        ORGANISATION = "organisation", "organisation"
        STATE = "state", "state"
        PLACE = "place", "place"
        EVENT = "event", "event"

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entity-detail", args=[self.slug])


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Claim.Status.PUBLISHED)

    def real(self):
        return self.filter(is_synthetic=False)


class Claim(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", "event"
        QUANTITY = "quantity", "quantity"
        RELATIONSHIP = "relationship", "relationship"
        STATEMENT = "statement", "statement by someone"
        ASSESSMENT = "assessment", "assessment"

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "candidate"
        PUBLISHED = "published", "published"
        REJECTED = "rejected", "rejected"
        RETRACTED = "retracted", "retracted"
        MERGED = "merged", "merged into another claim"

    class Origin(models.TextChoices):
        CURATED = "curated", "curated fixture"
        EDITOR = "editor", "editor"
        IMPORT = "import", "import extractor"
        SYNTHETIC = "synthetic", "synthetic"

    key = models.SlugField(max_length=200, unique=True, null=True, blank=True)
    statement = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EVENT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.EDITOR)
    date_edtf = models.CharField("date (EDTF)", max_length=100, blank=True)
    date_earliest = models.DateField(null=True, blank=True)
    date_latest = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=20, blank=True)
    date_wording = models.CharField(max_length=300, blank=True)
    credibility = models.PositiveSmallIntegerField(choices=Credibility.choices, null=True, blank=True)
    rationale = models.TextField(blank=True)
    status_reason = models.TextField(blank=True)
    # A merged claim keeps its row (and permalink), which redirects to the claim it went into.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_claims"
    )
    # An import candidate that restates an existing claim: proposed as a new citation for it.
    suggested_match = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="suggested_candidates"
    )
    entities = models.ManyToManyField(Entity, blank=True, related_name="claims")
    tags = TaggableManager(blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Sort keys kept by the database itself: undated and ungraded claims sort last, and the
    # list pages can walk an index instead of sorting every claim.
    date_sort = models.GeneratedField(
        expression=Coalesce("date_earliest", Value(datetime.date(9999, 12, 31))),
        output_field=models.DateField(),
        db_persist=True,
    )
    credibility_sort = models.GeneratedField(
        expression=Coalesce("credibility", Value(7)),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date_earliest", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credibility__isnull=True) | Q(credibility__gte=1, credibility__lte=6),
                name="claim_credibility_1_to_6",
            ),
            models.CheckConstraint(
                condition=Q(date_earliest__isnull=True)
                | Q(date_latest__isnull=True)
                | Q(date_latest__gte=F("date_earliest")),
                name="claim_date_range_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date_earliest"], name="claim_status_date"),
            models.Index(fields=["updated_at"], name="claim_updated"),
            models.Index(
                fields=["status", "date_sort", "id"], name="claim_list_date",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["status", "credibility_sort", "date_sort", "id"], name="claim_list_credibility",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["status", "updated_at", "id"], name="claim_list_updated",
                condition=Q(merged_into__isnull=True),
            ),
        ]

    def __str__(self):
        return self.statement[:80]

    def get_absolute_url(self):
        return reverse("claim-detail", args=[self.pk])

    @property
    def credibility_label(self) -> str:
        return Credibility(self.credibility).label if self.credibility else "not graded"


class Citation(models.Model):
    class Stance(models.TextChoices):
        STATES = "states", "states"
        HEDGED = "hedged", "reports with hedging"
        DISPUTES = "disputes", "disputes"

    class Anchoring(models.TextChoices):
        EXACT = "exact", "anchored"
        FUZZY = "fuzzy", "re-anchored by fuzzy match"
        ORPHANED = "orphaned", "orphaned"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    passage = models.ForeignKey(
        Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="citations"
    )
    order = models.PositiveIntegerField(default=1)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=200, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.STATES)
    anchoring = models.CharField(max_length=20, choices=Anchoring.choices, default=Anchoring.EXACT)
    anchoring_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "order", "id"]
        constraints = [*RangeCheck.constraints("citation")]
        indexes = [models.Index(fields=["source", "start"], name="citation_source_start")]

    def __str__(self):
        return f"{self.source.slug}[{self.start}:{self.end}]"

    def is_anchored(self) -> bool:
        return self.source.text[self.start : self.end] == self.quote


class Relation(models.Model):
    class Type(models.TextChoices):
        CONTRADICTS = "contradicts", "contradicts"
        CORROBORATES = "corroborates", "corroborates"
        UPDATES = "updates", "updates"
        REFINES = "refines", "refines"

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_in")
    type = models.CharField(max_length=20, choices=Type.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["from_claim", "type", "to_claim"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "type"], name="relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")), name="relation_not_to_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["type", "from_claim"], name="relation_type_from"),
            models.Index(fields=["type", "to_claim"], name="relation_type_to"),
        ]

    def __str__(self):
        return f"{self.from_claim_id} {self.type} {self.to_claim_id}"


class SourceLink(models.Model):
    """A source-level link: one source repeats another (circular reporting)."""

    class Kind(models.TextChoices):
        DERIVED_FROM = "derived_from", "derived from"

    class Method(models.TextChoices):
        CURATED = "curated", "curated"
        DETECTED = "detected", "detected by text overlap"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DERIVED_FROM)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.DETECTED)
    shared_share = models.FloatField(
        help_text="Share of the source's words that lie in passages shared with the target."
    )
    evidence = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="sourcelink_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="sourcelink_not_self"),
        ]

    def __str__(self):
        return f"{self.source.slug} {self.kind} {self.target.slug}"


class NonClaim(models.Model):
    """A sentence a curator marked as asserting nothing checkable, with the reason."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="non_claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    reason = models.CharField(max_length=40)

    class Meta:
        ordering = ["source", "start"]
        constraints = [*RangeCheck.constraints("nonclaim")]

    def __str__(self):
        return f"{self.reason}: {self.quote[:60]}"


class PendingImport(models.Model):
    """An upload between its preview and its confirmation on the import page.

    The bytes stay on the server, so the confirmation cannot be tampered with; the row is
    scoped to the admin who uploaded it, and expires (kb.admin_import.PENDING_TTL).
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=500)
    data = models.BinaryField()
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.name} (pending, by {self.user_id})"


from kb.editing.models import *  # noqa: E402,F401,F403
from kb.extraction.models import *  # noqa: E402,F401,F403
