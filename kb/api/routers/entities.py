"""Entities and tags: what claims are about."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from taggit.models import Tag

from kb.api import cursors, present
from kb.api.auth import READ
from kb.api.schemas import EntityOut, EntityPage, ProblemOut, Slug, TagPage
from kb.models import Entity
from kb.selectors.entities import tag_claim_count

router = Router(tags=["entities and tags"], auth=READ)
ERRORS = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
ORDER = ("id",)


class ListParams(Schema):
    limit: int = Field(100, ge=1, le=500)
    cursor: str | None = Field(None, max_length=2000)


def _page(request, queryset, params: ListParams, scope: str):
    if params.cursor:
        queryset = queryset.filter(cursors.after(ORDER, cursors.decode(params.cursor, scope, "id")["after"]))
    rows = list(queryset.order_by(*ORDER)[: params.limit + 1])
    more, rows = len(rows) > params.limit, rows[: params.limit]
    following = None
    if more:
        query = request.GET.copy()
        query["cursor"] = cursors.encode(scope, "id", values=[rows[-1].pk])
        following = present.absolute(request, f"{request.path}?{query.urlencode()}")
    return rows, following


@router.get("/entities/", response={200: EntityPage, **ERRORS}, summary="List entities")
def entity_list(request, params: Query[ListParams]):
    """People, organisations, states, places and events. Claims about one: /api/claims/?entity=<slug>."""
    rows, following = _page(request, Entity.objects.all(), params, "entities")
    return {"items": [present.entity(request, e) for e in rows], "next": following}


@router.get("/entities/{slug}/", response={200: EntityOut, **ERRORS}, summary="One entity")
def entity_detail(request, slug: Slug):
    return present.entity(request, get_object_or_404(Entity, slug=slug))


@router.get("/tags/", response={200: TagPage, **ERRORS}, summary="List tags")
def tag_list(request, params: Query[ListParams]):
    """Topics. Claims with one: /api/claims/?tag=<slug>."""
    rows, following = _page(request, Tag.objects.select_related("kept"), params, "tags")
    return {
        "items": [{"slug": t.slug, "name": t.name, "url": present.absolute(request, f"/tags/{t.slug}/"),
                   "claim_count": tag_claim_count(t)} for t in rows],
        "next": following,
    }
