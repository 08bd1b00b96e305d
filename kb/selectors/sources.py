"""Reads: each selector owns its queries, so a view cannot forget a prefetch."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q

from kb.models import Citation, Claim, Page, Passage, Section, Source, SourceLink
from kb.models.choices import Credibility
from kb.permissions import editing_rights, sees_unreviewed
from kb.rendering import Highlight, render_range
from kb.selectors.annotations import source_annotations
from kb.selectors.overlaps import source_copying
from kb.text.bidi import neutralise_bidi
from kb.text.ranges import visible_range


def source_list():
    """Current sources by title, without their text or original bytes (paginate it, then
    `with_counts` for the page)."""
    return (
        Source.objects.current().defer("text", "original")
        # Marked in the list: a copy never counts as independent confirmation (one EXISTS per row).
        .annotate(copies_another=Exists(SourceLink.objects.filter(source=OuterRef("pk"), kind=SourceLink.Kind.DERIVED_FROM)))
        .order_by("title", "id")
    )


def with_counts(sources) -> list[Source]:
    """The sources given, each with `passage_count` and `claim_count` (reviewed claims): two
    grouped queries over these sources' rows only, never over every source's passages and
    citations."""
    sources = list(sources)
    ids = [source.pk for source in sources]
    passages = dict(
        Passage.objects.filter(source_id__in=ids).values("source_id").annotate(n=Count("id"))
        .values_list("source_id", "n")
    )
    claims = dict(
        Citation.objects.filter(source_id__in=ids).exclude(claim__status__in=Claim.UNREVIEWED)
        .values("source_id").annotate(n=Count("claim_id", distinct=True)).values_list("source_id", "n")
    )
    for source in sources:
        source.passage_count = passages.get(source.pk, 0)
        source.claim_count = claims.get(source.pk, 0)
    return sources


@dataclass
class ReaderItem:
    passage: Passage
    html: str
    section: Section | None = None
    claims: list[int] = field(default_factory=list)
    # The claims highlighted here, one each: the footnote links shown without JavaScript.
    cited: list = field(default_factory=list)
    # Consecutive boilerplate passages with the same note are shown as one collapsed group.
    group_size: int = 0  # set on the first passage of a group
    group_end: bool = False
    # The numbers of the pages that begin with this passage (a PDF's), for `id="page-12"`.
    pages: list[int] = field(default_factory=list)
    # The annotations that begin in this passage: its side notes, beside it (kb/static/side_notes.js).
    notes: list = field(default_factory=list)


def _group_boilerplate(items: list[ReaderItem]) -> None:
    run: list[ReaderItem] = []

    def close():
        if run:
            run[0].group_size = len(run)
            run[-1].group_end = True
            run.clear()

    for item in items:
        if item.pages:  # a page's mark stands outside any collapsed group
            close()
        if item.passage.kind != Passage.Kind.BOILERPLATE:
            close()
        elif run and run[-1].passage.note != item.passage.note:
            close()
            run.append(item)
        else:
            run.append(item)
    close()


@dataclass(frozen=True)
class HighlightedClaim:
    """What the reader's popover says about one highlight: the citation and its claim."""

    citation_id: int
    claim_id: int
    start: int
    end: int
    quote: str
    statement: str
    status: str
    credibility: int | None
    date_wording: str
    date_edtf: str
    date_earliest: object
    date_latest: object
    contested: bool

    @property
    def credibility_label(self) -> str:
        return Credibility(self.credibility).label if self.credibility else "not graded"

    @property
    def doubtful(self) -> bool:
        # 4 doubtful, 5 improbable: drawn apart so a reader does not take them for established.
        return self.credibility in (Credibility.DOUBTFUL, Credibility.IMPROBABLE)

    @property
    def candidate(self) -> bool:
        return self.status == Claim.Status.CANDIDATE

    @property
    def css(self) -> str:
        classes = ["hl"]
        if self.candidate:
            classes.append("hl-candidate")
        elif self.contested:
            classes.append("hl-contested")
        elif self.doubtful:
            classes.append("hl-doubtful")
        return " ".join(classes)


def highlighted_claims(source: Source, *, editor: bool = False) -> list[HighlightedClaim]:
    """The citations drawn in the reader, in text order, each with what its popover shows
    (one query). Candidates only for an `editor`; rejected claims never."""
    rows = (
        Citation.objects.filter(source=source)
        .exclude(anchoring=Citation.Anchoring.ORPHANED)
        .exclude(claim__status__in=[Claim.Status.REJECTED] if editor else Claim.UNREVIEWED)
        .values_list("id", "claim_id", "start", "end", "quote", "claim__statement", "claim__status",
                     "claim__credibility", "claim__date_wording", "claim__date_edtf", "claim__date_earliest",
                     "claim__date_latest", "claim__is_contested")
        .order_by("start", "id")
    )
    return [HighlightedClaim(*row) for row in rows]


def reader_items(source: Source, *, marked_claim: int | None = None, editor: bool = False,
                 highlights: list[HighlightedClaim] | None = None, passages: list[Passage] | None = None,
                 notes: list[tuple[int, int, int]] = (), note_numbers: dict[int, int] | None = None,
                 ) -> list[ReaderItem]:
    """Every passage of a source, rendered with its citations highlighted in place. Candidate
    claims are highlighted for an `editor` only, and marked as unreviewed. `notes` are the
    annotated ranges (start, end, annotation id), marked in the text; `note_numbers` the
    numbers of their side notes, put after the annotated words."""
    sections = {s.pk: s for s in Section.objects.filter(source=source)}
    by_heading = {s.heading_start: s for s in sections.values()}
    if passages is None:
        passages = list(Passage.objects.filter(source=source).order_by("order"))
    citations = highlighted_claims(source, editor=editor) if highlights is None else highlights
    items = []
    cursor = 0
    for passage in passages:
        marks = []
        # Citations are sorted by start; keep only those overlapping this passage.
        while cursor < len(citations) and citations[cursor].end <= passage.start:
            cursor += 1
        probe = cursor
        while probe < len(citations) and citations[probe].start < passage.end:
            cited = citations[probe]
            if cited.end > passage.start:
                css = cited.css + (" hl-marked" if cited.claim_id == marked_claim else "")
                marks.append(Highlight(cited.start, cited.end, cited.claim_id, cited.citation_id, css))
            probe += 1
        if passage.kind == Passage.Kind.HEADING:
            section = by_heading.get(visible_range(source.text, passage.start, passage.end)[0])
            html = section.title if section else neutralise_bidi(source.text[passage.start : passage.end].strip())
            items.append(ReaderItem(passage, html, section))
            continue
        here = [n for n in notes if n[0] < passage.end and n[1] > passage.start]
        html = render_range(source.text, passage.start, passage.end, marks, here, note_numbers or {})
        cited = list({c.claim_id: c for c in citations[cursor:probe] if c.end > passage.start}.values())
        items.append(ReaderItem(passage, html, sections.get(passage.section_id),
                                sorted({m.claim_id for m in marks}), cited))
    if source.format == Source.Format.PDF:  # only paged sources have pages: no query for the others
        _mark_pages(items, list(Page.objects.filter(source=source).order_by("number").values_list("number", "start")))
    _group_boilerplate(items)
    return items


def _mark_pages(items: list[ReaderItem], pages: list[tuple[int, int]]) -> None:
    """Give each page's number to the passage it begins at (pages begin at a passage; an empty
    page goes with the page after it)."""
    cursor = 0
    for index, item in enumerate(items):
        following = items[index + 1].passage.start if index + 1 < len(items) else None
        while cursor < len(pages) and (following is None or pages[cursor][1] < following):
            item.pages.append(pages[cursor][0])
            cursor += 1


def reader_sources():
    """Sources as the reader loads them: without their original bytes (often megabytes), but
    knowing whether any were kept (`has_original`)."""
    return Source.objects.defer("original").annotate(
        has_original=ExpressionWrapper(Q(original__isnull=False), output_field=BooleanField()))


ORIGINAL_TYPES = {
    Source.Format.PDF: "application/pdf",
    Source.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Source.Format.EMAIL: "message/rfc822",
    Source.Format.HTML: "text/html",
}


def source_original(*, slug: str, version: int) -> tuple[bytes, str, str] | None:
    """A version's bytes as imported, its file name and media type; None when none were kept."""
    row = (Source.objects.filter(slug=slug, version=version, original__isnull=False)
           .values_list("original", "filename", "format").first())
    if row is None:
        return None
    data, filename, fmt = row
    return bytes(data), filename or f"{slug}-v{version}", ORIGINAL_TYPES.get(fmt, "application/octet-stream")


def orphaned_citations(source):
    """Citations of any version of this source that could not be placed on a later version."""
    citations = list(
        Citation.objects.filter(source__slug=source.slug, anchoring="orphaned")
        .select_related("source")
        .defer("source__text", "source__original")
        .order_by("source__version", "start")
    )
    for citation in citations:
        citation.quote_shown = neutralise_bidi(citation.quote)
    return citations


def _annotated_ranges(source: Source, placed) -> list[tuple[int, int, int]]:
    """(start, end, annotation id) of the visible annotations placed in this version's text."""
    ranges = []
    for p in placed:
        note = p.annotation
        if note.is_hidden or note.anchoring == note.Anchoring.ORPHANED:
            continue
        if note.source_id == source.pk:
            ranges.append((note.start, note.end, note.pk))
        elif note.citation_id and note.citation.source_id == source.pk and note.citation.anchoring != note.Anchoring.ORPHANED:
            ranges.append((note.citation.start, note.citation.end, note.pk))
    return sorted(ranges)


def _number_notes(placed, anchors: set[str]) -> dict[int, int]:
    """Number the annotations placed in a passage of this text, in text order: the number after
    the annotated words and on the side note beside them. Orphaned ones get none."""
    numbers = {}
    for p in placed:
        if p.anchor in anchors and p.annotation.anchoring != p.annotation.Anchoring.ORPHANED:
            numbers[p.annotation.pk] = p.number = len(numbers) + 1
    return numbers


def _side_notes(items: list[ReaderItem], placed, numbers: dict[int, int]) -> list:
    """Give each passage the numbered annotations that begin in it (its side notes); return the
    others (orphaned: listed apart)."""
    by_anchor = {item.passage.anchor: item for item in items}
    unplaced = []
    for p in placed:
        if p.annotation.pk in numbers and p.anchor in by_anchor:
            by_anchor[p.anchor].notes.append(p)
        else:
            unplaced.append(p)
    return unplaced


def reader_page(source: Source, *, user, marked_claim: int | None = None) -> dict:
    """Everything the reader page shows, in a fixed number of queries, all run here: the
    templates run none (tests/views/test_query_counts.py)."""
    can = editing_rights(user)
    highlights = highlighted_claims(source, editor=sees_unreviewed(user))
    passages = list(Passage.objects.filter(source=source).order_by("order"))
    # The passages tile the text in order, so they give the annotations their anchors.
    placed = source_annotations(source, include_hidden=can["hide"],
                                passages=[(p.start, p.anchor) for p in passages])
    numbers = _number_notes(placed, {p.anchor for p in passages})
    items = reader_items(source, marked_claim=marked_claim, highlights=highlights, passages=passages,
                         notes=_annotated_ranges(source, placed), note_numbers=numbers)
    unplaced = _side_notes(items, placed, numbers)
    versions = list(
        Source.objects.filter(slug=source.slug).only("slug", "version", "is_current", "imported_at", "sha256")
        .order_by("-version")
    )
    copying = source_copying(source, {h.claim_id for h in highlights if not h.candidate})
    return {
        "source": source,
        "items": items,
        "toc": [item.section for item in items if item.passage.kind == Passage.Kind.HEADING and item.section],
        "marked_claim": marked_claim,
        # The claim a citation link led here from: named in a bar above the text.
        "marked": next((h for h in highlights if h.claim_id == marked_claim), None),
        "highlights": highlights,
        "legend": {css for h in highlights for css in h.css.split()},
        "versions": versions,
        "orphans": orphaned_citations(source) if user.has_perm("kb.change_claim") else [],
        "can": can,
        "placed": placed,
        "unplaced": unplaced,  # annotations not beside the text (orphaned): listed in the sidebar
        "copies": copying.copies,
        "copied_by": copying.copied_by,
    }
