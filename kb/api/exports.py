"""Streamed exports of a claim selection in standard formats.

Every export is written through kb.exports.export_response, the one streaming path the claim
list's downloads use too: the selection is read a chunk of claims at a time (a fixed number of
queries each, source texts never loaded) and written as it is read, so memory and time to
first byte do not grow with the corpus; anonymous callers get at most
CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS claims (tokens and sessions are not limited); an unchanged
export answers 304. Each file says which filter produced it.

The W3C Web Annotation export is an AnnotationCollection in pages (Web Annotation Protocol
§5): the collection embeds its first page, and each page links the `next` one (a signed
cursor), so no page is ever larger than PAGE_CLAIMS claims' citations, for anyone.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from ninja import Field, Query, Router, Schema

from kb import exports
from kb.api import cursors, formats
from kb.api.auth import READ
from kb.api.errors import Problem
from kb.api.routers.claims import ClaimFilters, _selected
from kb.api.schemas import ProblemOut
from kb.selectors.exports import export_ids

router = Router(tags=["exports"], auth=READ)
ERRORS = {400: ProblemOut, 422: ProblemOut, 429: ProblemOut}
PAGE_CLAIMS = 1000  # claims per AnnotationPage (their citations are its items)


def _described(filters: dict) -> str:
    chosen = {
        k: (",".join(map(str, v)) if isinstance(v, list) else str(v))
        for k, v in filters.items() if k != "per_page"  # a page size, not part of the selection
    }
    return urlencode(chosen) or "(no filter: every published claim)"


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _streamed(request, claims, write, *, content_type: str, filename: str, selection: str, page=None,
              timestamps: bool = True, relations: bool = False):
    return exports.export_response(
        request, claims, write, user=request.user, content_type=content_type, filename=filename,
        headers={"X-Claimbook-Selection": selection}, page=page, timestamps=timestamps, relations=relations,
        search=bool(request.GET.get("q")))


class CsvParams(Schema):
    bom: bool = Field(False, description="Start with a UTF-8 byte-order mark (for Excel)")


@router.get("/exports/claims.csv", response=ERRORS, summary="Claims as CSV",
            openapi_extra={"responses": {200: {"description": "One row per citation",
                                               "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def export_csv(request, filters: Query[ClaimFilters], params: Query[CsvParams]):
    """The claim list's CSV columns (docs/api.md), with the relation and contested columns,
    then the claim's URL, its entities' Wikidata ids and the source's version; in id order, a
    line per citation (a claim without citations still gets one)."""
    chosen, claims = _selected(request, filters, whole=True)
    base, selection = _base(request), _described(chosen)

    def lines(selected, notice):
        return exports.csv_lines(selected, notice=notice, bom=params.bom, api_base=base,
                                 head="# Claimbook claims; selection: " + selection)

    return _streamed(request, claims, lines, content_type="text/csv; charset=utf-8",
                     filename="claimbook-claims.csv", selection=selection, timestamps=False, relations=True)


def _open(head: dict, key: str) -> str:
    """`head` as JSON, left open with `key` starting an array."""
    return json.dumps(head, ensure_ascii=False)[:-1] + f", {json.dumps(key)}: [\n"


def _items(items):
    first = True
    for item in items:
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False


def _json_stream(head: dict, key: str, items, notice: str = ""):
    """`head` with `key` a JSON array written item by item (and `notice`, when the array stops short)."""
    yield _open(head, key)
    yield from _items(items)
    yield "\n]" + (f", \"notice\": {json.dumps(notice)}" if notice else "") + "}\n"


class AnnotationPageParams(Schema):
    page: str | None = Field(None, max_length=2000, description="A page of the collection, from a page's `next`")


def _collection_iri(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def _page_iri(collection: str, cursor: str) -> str:
    return collection + ("&" if "?" in collection else "?") + urlencode({"page": cursor})


@router.get("/exports/annotations.jsonld", response=ERRORS, summary="Citations as W3C Web Annotations",
            openapi_extra={"responses": {200: {"description": "An AnnotationCollection (its first page "
                                                              "embedded), or one AnnotationPage",
                                               "content": {"application/ld+json": {"schema": {"type": "object"}}}}}})
def export_web_annotations(request, filters: Query[ClaimFilters], params: Query[AnnotationPageParams]):
    """Every citation of the selected claims as a W3C Web Annotation (the claim's statement
    describing the quoted words), in an AnnotationCollection of AnnotationPages (Web Annotation
    Protocol): without `page` the collection with its first page embedded; follow each page's
    `next` for the rest. A page holds the citations of up to PAGE_CLAIMS claims."""
    chosen, claims = _selected(request, filters, whole=True)
    base, selection = _base(request), _described(chosen)
    collection = _collection_iri(request)
    scope = "annotations:" + selection
    after, start = 0, 0
    if params.page:
        position = cursors.decode(params.page, scope, "id").get("after")
        if not (isinstance(position, list) and len(position) == 2 and all(type(v) is int and v >= 0 for v in position)):
            raise Problem(400, "invalid_cursor", "This page is not one the export gave out; start from the collection.")
        after, start = position

    def page(selected, _notice, *, embedded: bool):
        walked = {"last": after, "items": 0}

        def items():
            for row in selected:
                walked["last"] = row.claim.pk
                for citation in row.citations:
                    walked["items"] += 1
                    yield formats.citation_annotation(base, row.claim, citation)

        head = {"id": _page_iri(collection, params.page) if params.page else collection + "#page-1",
                "type": "AnnotationPage", "partOf": collection, "startIndex": start}
        if not embedded:
            head = {"@context": formats.WEB_ANNOTATION_CONTEXT, **head}
        yield _open(head, "items")
        yield from _items(items())
        yield "\n]"
        if export_ids(claims, after=walked["last"], limit=1):
            cursor = cursors.encode(scope, "id", values=[walked["last"], start + walked["items"]])
            yield f", \"next\": {json.dumps(_page_iri(collection, cursor))}"
        yield "}"

    def document(selected, notice):
        if params.page:
            yield from page(selected, notice, embedded=False)
        else:
            collection_head = {"@context": formats.WEB_ANNOTATION_CONTEXT, "id": collection,
                               "type": "AnnotationCollection",
                               "label": f"Claimbook citations; selection: {selection}"}
            yield json.dumps(collection_head, ensure_ascii=False)[:-1] + ', "first": '
            yield from page(selected, notice, embedded=True)
            yield "}"
        yield "\n"

    return _streamed(request, claims, document, content_type="application/ld+json; charset=utf-8",
                     filename="claimbook-annotations.jsonld", selection=selection, page=(after, PAGE_CLAIMS))


@router.get("/exports/claimreviews.jsonld", response=ERRORS, summary="Graded claims as schema.org ClaimReview",
            openapi_extra={"responses": {200: {"description": "schema.org JSON-LD",
                                               "content": {"application/ld+json": {"schema": {"type": "object"}}}}}})
def export_claim_reviews(request, filters: Query[ClaimFilters]):
    """Each graded claim of the selection as a schema.org Claim with its ClaimReview (the
    Admiralty grade and its rationale); ungraded claims are left out."""
    chosen, claims = _selected(request, filters, whole=True)
    base, selection = _base(request), _described(chosen)

    def items(selected):
        for row in selected:
            yield formats.claim_review(base, row.claim, row.citations) | {
                "itemReviewed": formats.schema_claim(base, row.claim, row.citations, row.entities, row.tags)
            }

    head = {"@context": formats.SCHEMA_CONTEXT, "@id": request.build_absolute_uri(),
            "description": f"Claimbook claim reviews; selection: {selection}"}
    return _streamed(request, claims.filter(credibility__isnull=False),
                     lambda selected, notice: _json_stream(head, "@graph", items(selected), notice),
                     content_type="application/ld+json; charset=utf-8",
                     filename="claimbook-claimreviews.jsonld", selection=selection)


@router.get("/exports/claims.qs", response=ERRORS, summary="Wikidata QuickStatements",
            openapi_extra={"responses": {200: {"description": "QuickStatements V1 commands",
                                               "content": {"text/plain": {"schema": {"type": "string"}}}}}})
def export_quickstatements(request, filters: Query[ClaimFilters]):
    """For claims about entities with a Wikidata id: a "described at URL" (P973) statement on
    the item pointing at the claim, referenced to a cited source's URL where it has one."""
    chosen, claims = _selected(request, filters, whole=True)
    base, selection = _base(request), _described(chosen)
    mapped = claims.filter(entities__wikidata_id__gt="").distinct()

    def lines(selected, notice):
        yield f"/* Claimbook claims about Wikidata items; selection: {selection} */\n"
        for row in selected:
            for line in formats.quickstatements(base, row.claim, row.citations, row.entities):
                yield line + "\n"
        if notice:
            yield f"/* {notice} */\n"

    return _streamed(request, mapped, lines, content_type="text/plain; charset=utf-8",
                     filename="claimbook-claims.qs.txt", selection=selection, timestamps=False)
