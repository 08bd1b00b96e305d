"""Reads for what claims are about: the entity index, with the claim counts kept for entities
and tags."""
from __future__ import annotations

from taggit.models import TaggedItem

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


def tag_in_use(tag) -> bool:
    """Whether any claim (of any status) carries `tag`."""
    return claim_tags().filter(tag=tag).exists()


def claim_tags():
    """The claims' rows in taggit's generic table (the content type joined, not looked up: no
    query of its own, whatever the content type cache holds)."""
    return TaggedItem.objects.filter(content_type__app_label="kb", content_type__model="claim")
