"""Claims, their citations and relations, the entities they name, and what the extractor found."""
import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from kb.models.choices import Anchoring, Credibility
from kb.models.sources import Page, Passage, RangeCheck, Source


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "person"
        ORGANISATION = "organisation", "organisation"
        STATE = "state", "state"
        PLACE = "place", "place"
        EVENT = "event", "event"
        RELIGION = "religion", "religion or religious community"

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False)
    # Published, unmerged claims naming this entity (what its page lists): kept by the claim
    # services (kb.services.counts) in the writing transaction, so the entity index reads it.
    claim_count = models.PositiveIntegerField(default=0, editable=False)
    # The Wikidata item (Q42) this entity is, if known: claims about it export as QuickStatements.
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]{0,15}$", "A Wikidata item id looks like Q42.", code="wikidata_id")],
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        # The entity index (by kind, then name) and the claim list's entity choices, a page at a time.
        indexes = [
            models.Index(fields=["kind", "name", "id"], name="entity_by_kind"),
            models.Index(fields=["is_synthetic", "name"], name="entity_choice"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entity-detail", args=[self.slug])


class TagCount(models.Model):
    """A tag's published, unmerged claims (what its page lists), kept like `Entity.claim_count`
    by the claim services (kb.services.counts). taggit's own Tag has no room for it; a tag no
    counted claim has ever carried may have no row (read as 0)."""

    tag = models.OneToOneField("taggit.Tag", on_delete=models.CASCADE, primary_key=True, related_name="kept")
    claim_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.tag_id}: {self.claim_count}"


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Claim.Status.PUBLISHED)

    def reviewed(self):
        """Every claim an editor has let out of the review queue (published, retracted, merged)."""
        return self.exclude(status__in=Claim.UNREVIEWED)

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

    # Statuses only editors see: import candidates and the candidates they rejected.
    UNREVIEWED = (Status.CANDIDATE, Status.REJECTED)

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
    # On either side of a contradiction: kept by the relation and merge services
    # (kb.services.counts), so the contested list and count are index walks, not joins.
    is_contested = models.BooleanField(default=False, editable=False)
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
    history = HistoricalRecords(excluded_fields=["is_contested"])  # derived from relations, which have their own

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
            # With the columns the filters test (PostgreSQL; SQLite ignores INCLUDE): a
            # filtered list walks this index alone and reads a row only for what it shows.
            models.Index(
                fields=["status", "date_sort", "id"], name="claim_list_date",
                condition=Q(merged_into__isnull=True), include=["credibility", "date_earliest", "date_latest"],
            ),
            models.Index(
                fields=["status", "credibility_sort", "date_sort", "id"], name="claim_list_credibility",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["status", "updated_at", "id"], name="claim_list_updated",
                condition=Q(merged_into__isnull=True),
            ),
            # The review queue (candidates, oldest first) walks its own small index.
            models.Index(fields=["created_at", "id"], name="claim_review_queue", condition=Q(status="candidate")),
            # The contested list and the overview's contested count walk only contested claims.
            models.Index(
                fields=["status", "date_sort", "id"], name="claim_list_contested",
                condition=Q(merged_into__isnull=True, is_contested=True),
            ),
        ]

    def __str__(self):
        return self.statement[:80]

    def get_absolute_url(self):
        return reverse("claim-detail", args=[self.pk])

    @property
    def credibility_label(self) -> str:
        return Credibility(self.credibility).label if self.credibility else "not graded"


class CitationQuerySet(models.QuerySet):
    def with_page(self):
        """Each citation's `page`: the number of the page its quote starts on (None for a
        source without pages). One indexed lookup per row, inside the same query."""
        page = Page.objects.filter(source=OuterRef("source_id"), start__lte=OuterRef("start"))
        return self.annotate(page=Subquery(page.order_by("-start", "-number").values("number")[:1]))


class Citation(models.Model):
    class Stance(models.TextChoices):
        STATES = "states", "states"
        HEDGED = "hedged", "reports with hedging"
        DISPUTES = "disputes", "disputes"

    Anchoring = Anchoring

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

    objects = CitationQuerySet.as_manager()
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
        # Agreement that is not confirmation: the two claims come from one source, from sources
        # that copy one another, or from one speaker. `corroborates` is kept for independent sources.
        CONSISTENT_WITH = "consistent_with", "consistent with"
        # Logical support within one account: the one claim makes the other more likely.
        SUPPORTS = "supports", "supports"
        # The claim restates its target (usually in a copying source) and changes its meaning.
        DISTORTS = "distorts", "distorts"

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
        help_text="Where the date came from: explicit, relative (resolved), section, introduction, passage "
                  "(an earlier sentence), publication (the time of writing).",
    )
    match_score = models.FloatField(
        null=True, blank=True, help_text="Token-set similarity (0–100) with the suggested match."
    )
    match_relation = models.CharField(
        max_length=20, blank=True,
        help_text="How it relates to the suggested match: restates (a new citation of it), updates (a newer "
                  "figure), contradicts (the same time, incompatible), stale (the existing claim is newer).",
    )
    match_reason = models.CharField(max_length=500, blank=True, help_text="Why, in words a reviewer checks.")
    reasons = models.JSONField(default=list, blank=True, help_text="Why the credibility was suggested.")

    class Meta:
        verbose_name = "candidate detail"

    def __str__(self):
        return f"extraction for claim {self.claim_id}"

    BASIS_LABELS = {
        "explicit": "stated in the sentence", "relative": "resolved against a date nearby or the publication date",
        "section": "from the section title", "introduction": "from the sentence introducing the quotation",
        "passage": "carried from an earlier sentence of the passage",
        "publication": "no date of its own: the time of writing (publication date)",
    }
    RELATION_LABELS = {
        "restates": "states the same fact as", "updates": "gives a newer figure than",
        "contradicts": "conflicts with", "stale": "may be out of date compared with",
    }

    @property
    def date_basis_label(self) -> str:
        return self.BASIS_LABELS.get(self.date_basis, self.date_basis)

    @property
    def relation_label(self) -> str:
        return self.RELATION_LABELS.get(self.match_relation, "looks like")
