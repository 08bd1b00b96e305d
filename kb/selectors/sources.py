"""Reads: each selector owns its queries, so a view cannot forget a prefetch."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from kb.models import Citation, Claim, Page, Passage, Section, Source
from kb.permissions import editing_rights, sees_unreviewed
from kb.rendering import Highlight, render_range
from kb.selectors.annotations import source_annotations
from kb.selectors.overlaps import source_copying
from kb.text.bidi import neutralise_bidi
from kb.text.ranges import visible_range


def source_list():
    return (
        Source.objects.current()
        .real()
        .defer("text", "original")
        .annotate(
            passage_count=Count("passages", distinct=True),
            claim_count=Count("citations__claim", distinct=True,
                              filter=~Q(citations__claim__status__in=Claim.UNREVIEWED)),
        )
        .order_by("title")
    )


@dataclass
class ReaderItem:
    passage: Passage
    html: str
    section: Section | None = None
    claims: list[int] = field(default_factory=list)
    # Consecutive boilerplate passages with the same note are shown as one collapsed group.
    group_size: int = 0  # set on the first passage of a group
    group_end: bool = False
    # The numbers of the pages that begin with this passage (a PDF's), for `id="page-12"`.
    pages: list[int] = field(default_factory=list)


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


def reader_items(source: Source, *, marked_claim: int | None = None, editor: bool = False) -> list[ReaderItem]:
    """Every passage of a source, rendered with its citations highlighted in place. Candidate
    claims are highlighted for an `editor` only, and marked as unreviewed."""
    sections = {s.pk: s for s in Section.objects.filter(source=source)}
    by_heading = {s.heading_start: s for s in sections.values()}
    passages = list(Passage.objects.filter(source=source).order_by("order"))
    citations = list(
        Citation.objects.filter(source=source)
        .exclude(anchoring=Citation.Anchoring.ORPHANED)
        .exclude(claim__status__in=[Claim.Status.REJECTED] if editor else Claim.UNREVIEWED)
        .values_list("id", "claim_id", "start", "end", "claim__status")
        .order_by("start")
    )
    items = []
    cursor = 0
    for passage in passages:
        marks = []
        # Citations are sorted by start; keep only those overlapping this passage.
        while cursor < len(citations) and citations[cursor][3] <= passage.start:
            cursor += 1
        probe = cursor
        while probe < len(citations) and citations[probe][2] < passage.end:
            cid, claim_id, start, end, status = citations[probe]
            if end > passage.start:
                css = "hl hl-marked" if claim_id == marked_claim else "hl"
                if status == Claim.Status.CANDIDATE:
                    css += " hl-candidate"
                marks.append(Highlight(start, end, claim_id, cid, css))
            probe += 1
        if passage.kind == Passage.Kind.HEADING:
            section = by_heading.get(visible_range(source.text, passage.start, passage.end)[0])
            html = section.title if section else neutralise_bidi(source.text[passage.start : passage.end].strip())
            items.append(ReaderItem(passage, html, section))
            continue
        html = render_range(source.text, passage.start, passage.end, marks)
        items.append(ReaderItem(passage, html, sections.get(passage.section_id),
                                sorted({m.claim_id for m in marks})))
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


def reader_page(source: Source, *, user, marked_claim: int | None = None) -> dict:
    """Everything the reader page shows, in a fixed number of queries, all run here: the
    templates run none (tests/views/test_query_counts.py)."""
    can = editing_rights(user)
    items = reader_items(source, marked_claim=marked_claim, editor=sees_unreviewed(user))
    versions = list(
        Source.objects.filter(slug=source.slug).only("slug", "version", "is_current", "imported_at", "sha256")
        .order_by("-version")
    )
    copying = source_copying(source)
    return {
        "source": source,
        "items": items,
        "toc": [item.section for item in items if item.passage.kind == Passage.Kind.HEADING and item.section],
        "marked_claim": marked_claim,
        "versions": versions,
        "orphans": orphaned_citations(source) if user.has_perm("kb.change_claim") else [],
        "can": can,
        # The passages tile the text in order, so the items give the annotations their anchors.
        "placed": source_annotations(source, include_hidden=can["hide"],
                                     passages=[(item.passage.start, item.passage.anchor) for item in items]),
        "copies": copying.copies,
        "copied_by": copying.copied_by,
    }
