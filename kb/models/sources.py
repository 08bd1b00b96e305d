"""Sources and their structure: every part is a character range over the stored text.

A source's text is stored once, exactly as imported; sections, passages, citations and
non-claim marks are ranges over it, so each can be checked against the text at any time
(`source.text[start:end]`).
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse

from kb.models.choices import Reliability


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
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"
        EMAIL = "email", "e-mail (.eml)"

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
    # The bytes as received, kept only when the stored text was extracted from them (HTML, PDF,
    # Word, e-mail); the reader offers them for download.
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
        # The source list and the claim list's source choices read current sources in these
        # orders, a page at a time: index walks instead of sorting 10,000 sources.
        indexes = [
            models.Index(fields=["title", "id"], name="source_current_title", condition=Q(is_current=True)),
            models.Index(fields=["is_synthetic", "title"], name="source_current_choice", condition=Q(is_current=True)),
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
        FOOTNOTE = "footnote", "footnote"

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


class Page(models.Model):
    """A page of a paged source (a PDF): its range over the text, from its first line to the
    next page's. The pages tile the text; a page with no text is an empty range."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            *RangeCheck.constraints("page", allow_empty=True),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
            models.UniqueConstraint(fields=["source", "number"], name="page_number_unique"),
        ]
        indexes = [models.Index(fields=["source", "start"], name="page_source_start")]

    def __str__(self):
        return f"{self.source.slug} p. {self.number}"


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
    scoped to the admin who uploaded it, and expires (kb.admin.imports.PENDING_TTL).
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=500)
    data = models.BinaryField()
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.name} (pending, by {self.user_id})"


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


class ShingleHolders(models.Model):
    """How many sources' shingle indexes hold a hash: the copy check's "stock phrase" filter
    reads it (one primary-key lookup per hash) instead of counting SourceShingle rows, which
    grows with the corpus for exactly the phrases it is meant to ignore. Kept by
    kb.services.overlaps.source_shingles_index, in the transaction that writes the shingles."""

    hash = models.BigIntegerField(primary_key=True)
    sources = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.hash}: {self.sources} sources"
