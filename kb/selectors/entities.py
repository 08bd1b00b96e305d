"""Reads for the entity index: a page of entities, with the claim counts kept for them."""
from __future__ import annotations

from kb.models import Entity


def entity_list():
    """Every entity, by kind then name (paginate it), each with its `claim_count`: the published
    claims naming it, a number the claim services keep (kb.services.counts), so the page
    counts nothing."""
    return Entity.objects.only("id", "slug", "name", "kind", "claim_count").order_by("kind", "name", "id")
