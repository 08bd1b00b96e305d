"""Claims: the list (filters, search, sort, cursor pages), one claim, its history and
annotations, the timeline; and the editors' writes on claims, through kb/services."""
from __future__ import annotations

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema, Status

from kb.api import cursors, present
from kb.api.auth import READ, write
from kb.api.errors import Problem, form_problem
from kb.api.schemas import (
    AnnotationIn, AnnotationOut, ClaimDetail, ClaimPage, ClaimUpdateIn, HistoryOut, Id, ProblemOut, RelationIn, RelationOut,
    ReviewIn, Timeline,
)
from kb.forms.claim_filters import SORT_LABELS, strict_filters
from kb.models import Annotation, Citation, Claim, Relation
from kb.permissions import sees_unreviewed
from kb.selectors import annotations as annotation_selectors
from kb.selectors import claims as browse
from kb.selectors import paging
from kb.selectors.history import claim_history
from kb.selectors.overlaps import derived_pairs
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import review as review_services
from kb.services.annotations import ReferenceFields
from kb.services.common import version_token

router = Router(tags=["claims"], auth=READ)

READ_ERRORS = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
TIMELINE_LIMIT = 400


SLUG = r"^[-a-zA-Z0-9_]+$"


class ClaimFilters(Schema):
    """The claim list's filters, as on /claims/ (validated by kb/forms/claim_filters.py, whose
    codes a refusal carries)."""

    q: str | None = Field(None, max_length=200, description="Full-text search of statements and quotes")
    source: str | None = Field(None, max_length=200, pattern=SLUG, description="Source slug")
    entity: str | None = Field(None, max_length=200, pattern=SLUG, description="Entity slug")
    tag: str | None = Field(None, max_length=100, pattern=SLUG, description="Tag slug")
    # Checked by the form (code invalid_date), which also knows that 2023-02-30 is no day.
    date_from: str | None = Field(None, max_length=10, description="Year, month or day: 1996, 2006-12, 2024-07-31")
    date_to: str | None = Field(None, max_length=10, description="Year, month or day")
    credibility: list[Annotated[int, Field(ge=1, le=6)]] = Field([], description="Any of 1-6 (repeat the parameter)")
    status: Literal[tuple([""] + ["all"] + [v for v in Claim.Status.values if v != "published"])] | None = Field(  # type: ignore[misc]
        None, description="Published claims unless this says otherwise")
    contested: Literal["", "yes", "no"] | None = None
    dated: Literal["", "yes", "no"] | None = Field(None, description="yes: only dated claims; no: only undated ones")
    sort: Literal[tuple(SORT_LABELS)] | None = Field(None, description="date (default), -date, confidence, -confidence, updated, relevance")  # type: ignore[misc]

    def as_params(self) -> MultiValueDict:
        params = MultiValueDict()
        for name, value in self.model_dump().items():
            if isinstance(value, list):
                params.setlist(name, [str(v) for v in value])
            elif value is not None:
                params[name] = value
        return params


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2000, description="From the previous page's `cursor`")
    count: bool = Field(False, description="Also count the matching claims, up to 10,000 (`count_capped` says there are more)")


def _selected(request, filters: ClaimFilters, *, whole: bool = False):
    """The valid filters and the claims they choose (`whole`: all of them will be read, an export)."""
    editor = sees_unreviewed(request.auth)
    chosen, form = strict_filters(filters.as_params(), editor=editor)
    if chosen is None:
        raise form_problem(form)
    return chosen, browse.filter_claims(chosen, editor=editor, whole=whole)


def _claim(request, pk: int) -> Claim:
    return get_object_or_404(browse.visible_claims(request.auth), pk=pk)


@router.get("/claims/", response={200: ClaimPage, **READ_ERRORS}, summary="List claims")
def claim_list(request, filters: Query[ClaimFilters], page: Query[PageParams]):
    """Claims in the order asked for, a page at a time: follow `next` until it is absent.
    The same filters and search as the claim list page; nothing is counted unless `count=true`."""
    chosen, claims = _selected(request, filters)
    matching = claims
    claims, sort = browse.sort_claims(claims, chosen)
    ordering = browse.SORTS[sort]
    offset = 0
    if page.cursor:
        position = cursors.decode(page.cursor, "claims", sort)
        if "offset" in position:
            offset = position["offset"]
        else:
            claims = claims.filter(cursors.after(ordering, position["after"]))
    rows = browse.flat_claim_rows(claims, limit=page.limit + 1, offset=offset)
    more, rows = len(rows) > page.limit, rows[: page.limit]
    cursor = None
    if more and sort == "relevance":
        cursor = cursors.encode("claims", sort, offset=offset + page.limit) if offset + page.limit <= cursors.MAX_OFFSET else None
    elif more:
        cursor = cursors.encode("claims", sort, values=cursors.key_values(rows[-1].claim, ordering))
    params = request.GET.copy()
    params.pop("cursor", None)
    if cursor:
        params["cursor"] = cursor
    return {
        "items": [present.claim_row(request, row) for row in rows],
        "sort": sort,
        "cursor": cursor,
        "next": present.absolute(request, f"{request.path}?{params.urlencode()}") if cursor else None,
        **_count(matching, page.count),
    }


# Counted like every list (kb.selectors.paging): never more rows than the cap, whatever the corpus.
COUNT_CAP = paging.COUNT_CAP


def _count(matching, asked: bool) -> dict:
    if not asked:
        return {"count": None, "count_capped": None}
    counted = paging.capped_count(matching, COUNT_CAP)
    return {"count": min(counted, COUNT_CAP), "count_capped": counted > COUNT_CAP}


def claim_detail_data(request, claim: Claim) -> dict:
    user = request.auth
    row = browse.claim_rows(list(browse.with_list_data(Claim.objects.filter(pk=claim.pk))))[0]
    citations = list(
        Citation.objects.filter(claim=claim).select_related("source", "passage")
        .defer("source__text", "source__original").order_by("order", "id")
    )
    visible = browse.visible_claims(user)
    relations = list(
        Relation.objects.filter(from_claim=claim, to_claim__in=visible).select_related("to_claim")
    ) + list(Relation.objects.filter(to_claim=claim, from_claim__in=visible).select_related("from_claim"))
    annotations = annotation_selectors.claim_annotations(claim, include_hidden=user.has_perm("kb.hide_annotation"))
    return {
        **present.claim_row(request, row),
        "rationale": claim.rationale,
        "status_reason": claim.status_reason,
        "version": version_token(claim),
        "merged_into": claim.merged_into_id,
        "entities": [present.entity_ref(e) for e in claim.entities.order_by("name")],
        "citations": [present.citation(request, c, claim.pk) for c in citations],
        "relations": [present.relation(request, r, claim.pk) for r in relations],
        "annotations": [present.annotation(request, a) for a in annotations],
        "history_url": present.absolute(request, f"/api/claims/{claim.pk}/history"),
    }


@router.get("/claims/{pk}/", response={200: ClaimDetail, **READ_ERRORS}, summary="One claim")
def claim_detail(request, pk: Id):
    """A claim with its citations (W3C position and quote selectors), relations, entities,
    tags and annotations. `version` is what an edit sends back."""
    return claim_detail_data(request, _claim(request, pk))


@router.get("/claims/{pk}/history", response={200: list[HistoryOut], **READ_ERRORS}, summary="A claim's history")
def claim_history_list(request, pk: Id):
    claim = _claim(request, pk)
    entries = claim_history(claim, include_hidden=request.auth.has_perm("kb.hide_annotation"))
    return [
        {
            "when": e.when, "who": e.who, "what": e.what, "object_id": e.object_id, "action": e.action,
            "reason": e.reason,
            "changes": [{"name": c.name, "label": str(c.label), "old": c.old, "new": c.new} for c in e.changes],
        }
        for e in entries
    ]


@router.get("/claims/{pk}/annotations", response={200: list[AnnotationOut], **READ_ERRORS},
            summary="Annotations on a claim and its citations")
def claim_annotation_list(request, pk: Id):
    claim = _claim(request, pk)
    annotations = annotation_selectors.claim_annotations(claim, include_hidden=request.auth.has_perm("kb.hide_annotation"))
    return [present.annotation(request, a) for a in annotations]


@router.get("/timeline/", response={200: Timeline, **READ_ERRORS}, summary="Claims along time")
def timeline(request, filters: Query[ClaimFilters]):
    """Dated claims in time order (as drawn on /timeline/), the first 400 of the selection."""
    _chosen, claims = _selected(request, filters)
    bars = browse.timeline_claims(claims, TIMELINE_LIMIT + 1)
    return {
        "items": [
            {
                "id": c.pk, "url": present.absolute(request, c.get_absolute_url()), "statement": c.statement,
                "date": present.event_date(c.date_edtf, c.date_earliest, c.date_latest, "", c.date_wording),
                "credibility": c.credibility, "contested": bool(c.contested),
            }
            for c in bars[:TIMELINE_LIMIT]
        ],
        "limit": TIMELINE_LIMIT,
        "truncated": len(bars) > TIMELINE_LIMIT,
    }


# Writes


WRITE_ERRORS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


def _references(payload: AnnotationIn) -> list[ReferenceFields]:
    return [ReferenceFields(r.url, r.title, r.publisher, r.accessed) for r in payload.references]


def _annotation_out(request, annotation: Annotation):
    annotation = Annotation.objects.with_related().get(pk=annotation.pk)
    return Status(201, present.annotation(request, annotation))


@router.post("/claims/{pk}/annotations", auth=write("kb.add_annotation"),
             response={201: AnnotationOut, **WRITE_ERRORS}, summary="Annotate a claim")
def claim_annotate(request, pk: Id, payload: AnnotationIn):
    claim = _claim(request, pk)
    annotation = annotation_services.annotation_create(
        by=request.auth, kind=payload.kind, body=payload.body, claim=claim, references=_references(payload),
    )
    return _annotation_out(request, annotation)


@router.post("/citations/{pk}/annotations", auth=write("kb.add_annotation"),
             response={201: AnnotationOut, **WRITE_ERRORS}, summary="Annotate a citation")
def citation_annotate(request, pk: Id, payload: AnnotationIn):
    citation = get_object_or_404(
        Citation.objects.filter(claim__in=browse.visible_claims(request.auth)).defer("source__text"), pk=pk
    )
    annotation = annotation_services.annotation_create(
        by=request.auth, kind=payload.kind, body=payload.body, citation=citation, references=_references(payload),
    )
    return _annotation_out(request, annotation)


def _fields_with(claim: Claim, payload: ClaimUpdateIn) -> claim_services.ClaimFields:
    current = claim_services.ClaimFields.of(claim)
    given = payload.model_dump(exclude_unset=True, exclude={"version", "note"})
    return claim_services.ClaimFields(**{**current.__dict__, **{k: ("" if v is None and k != "credibility" else v) for k, v in given.items()}})


@router.patch("/claims/{pk}/", auth=write("kb.change_claim"),
              response={200: ClaimDetail, 409: ProblemOut, **WRITE_ERRORS}, summary="Edit a claim")
def claim_edit(request, pk: Id, payload: ClaimUpdateIn):
    """Change the statement, kind, date or credibility (a new credibility needs a new rationale).
    Send the `version` you read: if someone saved since, nothing changes and the answer is 409
    with their `current_version`."""
    claim = _claim(request, pk)
    claim_services.claim_update(
        claim=claim, by=request.auth, version=payload.version, fields=_fields_with(claim, payload), note=payload.note,
    )
    return claim_detail_data(request, Claim.objects.get(pk=pk))


@router.post("/claims/{pk}/relations", auth=write("kb.add_relation"),
             response={201: RelationOut, **WRITE_ERRORS}, summary="Relate two claims")
def relation_add(request, pk: Id, payload: RelationIn):
    claim = _claim(request, pk)
    other = browse.visible_claims(request.auth).filter(pk=payload.other).first()
    if other is None:
        raise ValidationError({"other": ValidationError("There is no claim with that number.", code="not_found")})
    ends = (claim, other) if payload.direction == "out" else (other, claim)
    relation = claim_services.relation_add(
        from_claim=ends[0], to_claim=ends[1], type=payload.type, note=payload.note, by=request.auth,
    )
    relation = Relation.objects.select_related("from_claim", "to_claim").get(pk=relation.pk)
    return Status(201, present.relation(request, relation, claim.pk))


@router.post("/claims/{pk}/review", auth=write("kb.change_claim"),
             response={200: ClaimDetail, 409: ProblemOut, **WRITE_ERRORS}, summary="Decide on a candidate claim")
def review(request, pk: Id, payload: ReviewIn):
    """Accept a candidate (publish it), merge it into the claim it restates, or reject it with a reason."""
    claim = _claim(request, pk)
    if payload.decision == "accept":
        claim = review_services.review_accept(claim=claim, by=request.auth, version=payload.version)
    elif payload.decision == "reject":
        claim = review_services.review_reject(claim=claim, by=request.auth, reason=payload.reason)
    else:
        into = browse.visible_claims(request.auth).filter(pk=payload.into).first() if payload.into else None
        if into is None:
            raise ValidationError({"into": ValidationError("Give the number of the claim to merge into.", code="not_found")})
        claim = review_services.review_merge(claim=claim, into=into, by=request.auth, reason=payload.reason)
    return claim_detail_data(request, Claim.objects.get(pk=claim.pk))

