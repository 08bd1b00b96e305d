"""Sources: metadata, structure (sections, passages), the exact text with its ETag, the copy
links between sources; and the writes that start from a selection of a source's text."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from kb.api import cursors, present
from kb.api.auth import READ, write
from kb.api.routers.claims import WRITE_ERRORS, _annotation_out, _references, claim_detail_data
from kb.api.schemas import (
    AnnotationOut, ClaimCreateIn, ClaimDetail, ProblemOut, SelectionAnnotationIn, SelectorIn, Slug, SourceDetail,
    SourceLinks, SourcePage,
)
from kb.models import Passage, Section, Source, SourceLink
from kb.selectors import annotations as annotation_selectors
from kb.selectors.claims import visible_claims
from kb.selectors.selection import selection_verify
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services

router = Router(tags=["sources"], auth=READ)
ERRORS = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
ORDER = ("id",)


class SourceListParams(Schema):
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=2000)


class VersionParam(Schema):
    version: int | None = Field(None, ge=1, le=1_000_000, description="A version number; the current one if absent")


def _source(slug: str, version: int | None = None, *, with_text: bool = False) -> Source:
    sources = Source.objects.filter(slug=slug)
    sources = sources.filter(version=version) if version else sources.filter(is_current=True)
    if not with_text:
        sources = sources.defer("text", "original")
    return get_object_or_404(sources)


@router.get("/sources/", response={200: SourcePage, **ERRORS}, summary="List sources")
def source_list(request, params: Query[SourceListParams]):
    """Current versions of every source, in the order they were imported."""
    sources = Source.objects.current().defer("text", "original").order_by(*ORDER)
    if params.cursor:
        sources = sources.filter(cursors.after(ORDER, cursors.decode(params.cursor, "sources", "id")["after"]))
    rows = list(sources[: params.limit + 1])
    more, rows = len(rows) > params.limit, rows[: params.limit]
    following = None
    if more:
        query = request.GET.copy()
        query["cursor"] = cursors.encode("sources", "id", values=[rows[-1].pk])
        following = present.absolute(request, f"{request.path}?{query.urlencode()}")
    return {"items": [present.source(request, s) for s in rows], "next": following}


@router.get("/sources/{slug}/", response={200: SourceDetail, **ERRORS}, summary="One source with its structure")
def source_detail(request, slug: Slug, params: Query[VersionParam]):
    source = _source(slug, params.version)
    sections = list(Section.objects.filter(source=source).order_by("order"))
    anchors = {s.pk: s.anchor for s in sections}
    passages = Passage.objects.filter(source=source).order_by("order").values_list(
        "anchor", "kind", "section_id", "start", "end", "note",
    )
    return {
        **present.source(request, source),
        "versions": list(Source.objects.filter(slug=slug).order_by("version").values_list("version", flat=True)),
        "sections": [
            {
                "anchor": s.anchor, "title": s.title, "level": s.level, "parent": anchors.get(s.parent_id),
                "start": s.start, "end": s.end, "heading_start": s.heading_start, "heading_end": s.heading_end,
            }
            for s in sections
        ],
        "passages": [
            {"anchor": a, "kind": k, "section": anchors.get(sid), "start": st, "end": en, "note": note}
            for a, k, sid, st, en, note in passages
        ],
    }


@router.get(
    "/sources/{slug}/text", response={200: None, 304: None, **ERRORS}, summary="The exact text of a source",
    openapi_extra={"responses": {200: {"description": "The text, exactly as stored (UTF-8)",
                                       "content": {"text/plain": {"schema": {"type": "string"}}}}}},
)
def source_text(request, slug: Slug, params: Query[VersionParam]):
    """The text every selector counts over, in Unicode code points. Its `ETag` is its SHA-256:
    send `If-None-Match` to skip an unchanged download."""
    source = _source(slug, params.version, with_text=True)
    etag = f'"{source.sha256}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(source.text, content_type="text/plain; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300" if params.version else "no-cache"
    return response


@router.get("/sources/{slug}/links", response={200: SourceLinks, **ERRORS}, summary="Copy links with their evidence")
def source_links(request, slug: Slug, params: Query[VersionParam]):
    """Which sources this one repeats (circular reporting) and which repeat it, with the shared runs of words."""
    source = _source(slug, params.version)
    links = SourceLink.objects.select_related("source", "target").defer(
        "source__text", "source__original", "target__text", "target__original",
    )
    return {
        "copies": [present.source_link(link) for link in links.filter(source=source).order_by("id")],
        "copied_by": [present.source_link(link) for link in links.filter(target=source).order_by("id")],
    }


@router.get("/sources/{slug}/annotations", response={200: list[AnnotationOut], **ERRORS},
            summary="Annotations on selections of a source")
def source_annotation_list(request, slug: Slug, params: Query[VersionParam]):
    source = _source(slug, params.version)
    placed = annotation_selectors.source_annotations(source, include_hidden=request.auth.has_perm("kb.hide_annotation"))
    visible = set()
    claim_ids = {p.annotation.citation.claim_id for p in placed if p.annotation.citation_id}
    if claim_ids:
        visible = set(visible_claims(request.auth).filter(pk__in=claim_ids).values_list("pk", flat=True))
    return [
        present.annotation(request, p.annotation) for p in placed
        if not p.annotation.citation_id or p.annotation.citation.claim_id in visible
    ]


# Writes that start from a selection


def _selection(source: Source, selector: SelectorIn):
    return selection_verify(
        source=source, start=selector.start, end=selector.end, quote=selector.exact,
        prefix=selector.prefix, suffix=selector.suffix,
    )


@router.post("/sources/{slug}/annotations", auth=write("kb.add_annotation"),
             response={201: AnnotationOut, **WRITE_ERRORS}, summary="Annotate a selection of a source")
def selection_annotate(request, slug: Slug, payload: SelectionAnnotationIn):
    """The selector must match the current text: `text[start:end] == exact` (and the prefix and
    suffix, if given, must surround it), else 422 with code quote_mismatch, invalid_range, ..."""
    source = _source(slug, with_text=True)
    try:
        selection = _selection(source, payload.selector)
    except ValidationError as exc:
        raise ValidationError({"selector": exc}) from None
    annotation = annotation_services.annotation_create(
        by=request.auth, kind=payload.kind, body=payload.body, selection=selection, references=_references(payload),
    )
    return _annotation_out(request, annotation)


@router.post("/sources/{slug}/claims", auth=write("kb.add_claim"),
             response={201: ClaimDetail, **WRITE_ERRORS}, summary="Create a claim from a selection")
def claim_create(request, slug: Slug, payload: ClaimCreateIn):
    """A new published claim citing the selected words of the current version of the source."""
    source = _source(slug, with_text=True)
    try:
        selection = _selection(source, payload.selector)
    except ValidationError as exc:
        raise ValidationError({"selector": exc}) from None
    fields = claim_services.ClaimFields(
        statement=payload.statement, kind=payload.kind, date_edtf=payload.date_edtf, date_wording=payload.date_wording,
        credibility=payload.credibility, rationale=payload.rationale,
    )
    claim = claim_services.claim_create_from_selection(
        by=request.auth, selection=selection, fields=fields, attribution=payload.attribution, stance=payload.stance,
    )
    return Status(201, claim_detail_data(request, claim))
