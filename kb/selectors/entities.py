"""Reads for what claims are about: the entity index, with the claim counts kept for entities
and tags."""
from __future__ import annotations

from kb.models import Entity, TagCount


def entity_list():
    """Every entity, by kind then name (paginate it), each with its `claim_count`: the published
    claims naming it, a number the claim services keep (kb.services.counts), so the page
    counts nothing."""
    return Entity.objects.only("id", "slug", "name", "kind", "claim_count").order_by("kind", "name", "id")


def tag_claim_count(tag) -> int:
    """The published claims carrying `tag`, kept by the claim services (read with the tag:
    `select_related("kept")`; a tag no counted claim ever carried has no row)."""
    try:
        return tag.kept.claim_count
    except TagCount.DoesNotExist:
        return 0
