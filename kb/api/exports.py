"""Streamed exports of a claim selection in standard formats.

The selection is read in chunks of CHUNK claims walked by id (each chunk a fixed number of
queries, its source texts never loaded), and written as it is read, so memory and time to
first byte do not grow with the corpus. Each file says which filter produced it.
"""
from __future__ import annotations

import csv
import json
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from kb.api import formats
from kb.api.auth import READ
from kb.api.routers.claims import ClaimFilters, _selected
from kb.api.schemas import ProblemOut
from kb.models import Citation, Claim, Entity

router = Router(tags=["exports"], auth=READ)
CHUNK = 500
ERRORS = {400: ProblemOut, 422: ProblemOut, 429: ProblemOut}


def claim_chunks(claims):
    """The selection in id order, CHUNK at a time, each with citations (and their sources,
    without text), entities and tags prefetched."""
    ids = claims.order_by("id").values_list("id", flat=True)
    last = 0
    while True:
        chunk = list(ids.filter(id__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]
        rows = (
            Claim.objects.filter(id__in=chunk).order_by("id")
            .prefetch_related(
                Prefetch("citations", queryset=Citation.objects.with_page().select_related("source").defer(
                    "source__text", "source__original").order_by("order", "id")),
                Prefetch("entities", queryset=Entity.objects.order_by("name")),
                "tagged_items__tag",
            )
        )
        for claim in rows:
            yield claim, list(claim.citations.all()), list(claim.entities.all()), sorted(
                item.tag.name for item in claim.tagged_items.all()
            )


def _described(filters: dict) -> str:
    chosen = {
        k: (",".join(map(str, v)) if isinstance(v, list) else str(v))
        for k, v in filters.items() if k != "per_page"  # a page size, not part of the selection
    }
    return urlencode(chosen) or "(no filter: every published claim)"


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _streamed(chunks, content_type: str, filename: str, selection: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Claimbook-Selection"] = selection
    return response


class CsvParams(Schema):
    bom: bool = Field(False, description="Start with a UTF-8 byte-order mark (for Excel)")


@router.get("/exports/claims.csv", response=ERRORS, summary="Claims as CSV",
            openapi_extra={"responses": {200: {"description": "One row per citation",
                                               "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def export_csv(request, filters: Query[ClaimFilters], params: Query[CsvParams]):
    chosen, claims = _selected(request, filters)
    base, selection = _base(request), _described(chosen)

    class Line:
        def write(self, value):
            return value

    writer = csv.writer(Line(), lineterminator="\n")

    def rows():
        if params.bom:
            yield "\ufeff"
        yield writer.writerow(["# Claimbook claims; selection: " + selection])
        yield writer.writerow(formats.CSV_COLUMNS)
        for claim, citations, entities, tags in claim_chunks(claims):
            for row in formats.csv_rows(base, claim, citations, entities, tags):
                yield writer.writerow(row)

    return _streamed(rows(), "text/csv; charset=utf-8", "claimbook-claims.csv", selection)


def _open(head: dict, key: str) -> str:
    """`head` as JSON, left open with `key` starting an array."""
    return json.dumps(head, ensure_ascii=False)[:-1] + f", {json.dumps(key)}: [\n"


def _items(items):
    first = True
    for item in items:
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False


def _json_stream(head: dict, key: str, items):
    """`head` with `key` a JSON array written item by item."""
    yield _open(head, key)
    yield from _items(items)
    yield "\n]}\n"


@router.get("/exports/annotations.jsonld", response=ERRORS, summary="Citations as W3C Web Annotations",
            openapi_extra={"responses": {200: {"description": "An AnnotationCollection",
                                               "content": {"application/ld+json": {"schema": {"type": "object"}}}}}})
def export_web_annotations(request, filters: Query[ClaimFilters]):
    """Every citation of the selected claims as a W3C Web Annotation (the claim's statement
    describing the quoted words), in an AnnotationCollection whose first page holds them all."""
    chosen, claims = _selected(request, filters)
    base, selection = _base(request), _described(chosen)
    collection = request.build_absolute_uri()

    def items():
        for claim, citations, _entities, _tags in claim_chunks(claims):
            for citation in citations:
                yield formats.citation_annotation(base, claim, citation)

    def document():
        collection_head = {
            "@context": formats.WEB_ANNOTATION_CONTEXT,
            "id": collection,
            "type": "AnnotationCollection",
            "label": f"Claimbook citations; selection: {selection}",
        }
        page_head = {"id": collection + "#page-1", "type": "AnnotationPage", "partOf": collection, "startIndex": 0}
        yield json.dumps(collection_head, ensure_ascii=False)[:-1] + ', "first": ' + _open(page_head, "items")
        yield from _items(items())
        yield "\n]}}\n"

    return _streamed(document(), "application/ld+json; charset=utf-8", "claimbook-annotations.jsonld", selection)


@router.get("/exports/claimreviews.jsonld", response=ERRORS, summary="Graded claims as schema.org ClaimReview",
            openapi_extra={"responses": {200: {"description": "schema.org JSON-LD",
                                               "content": {"application/ld+json": {"schema": {"type": "object"}}}}}})
def export_claim_reviews(request, filters: Query[ClaimFilters]):
    """Each graded claim of the selection as a schema.org Claim with its ClaimReview (the
    Admiralty grade and its rationale); ungraded claims are left out."""
    chosen, claims = _selected(request, filters)
    base, selection = _base(request), _described(chosen)

    def items():
        for claim, citations, entities, tags in claim_chunks(claims.filter(credibility__isnull=False)):
            yield formats.claim_review(base, claim, citations) | {
                "itemReviewed": formats.schema_claim(base, claim, citations, entities, tags)
            }

    head = {"@context": formats.SCHEMA_CONTEXT, "@id": request.build_absolute_uri(),
            "description": f"Claimbook claim reviews; selection: {selection}"}
    return _streamed(_json_stream(head, "@graph", items()), "application/ld+json; charset=utf-8",
                     "claimbook-claimreviews.jsonld", selection)


@router.get("/exports/claims.qs", response=ERRORS, summary="Wikidata QuickStatements",
            openapi_extra={"responses": {200: {"description": "QuickStatements V1 commands",
                                               "content": {"text/plain": {"schema": {"type": "string"}}}}}})
def export_quickstatements(request, filters: Query[ClaimFilters]):
    """For claims about entities with a Wikidata id: a "described at URL" (P973) statement on
    the item pointing at the claim, referenced to a cited source's URL where it has one."""
    chosen, claims = _selected(request, filters)
    base, selection = _base(request), _described(chosen)
    mapped = claims.filter(entities__wikidata_id__gt="").distinct()

    def lines():
        yield f"/* Claimbook claims about Wikidata items; selection: {selection} */\n"
        for claim, citations, entities, _tags in claim_chunks(mapped):
            for line in formats.quickstatements(base, claim, citations, entities):
                yield line + "\n"

    return _streamed(lines(), "text/plain; charset=utf-8", "claimbook-claims.qs.txt", selection)
