"""Reads for the entity index: a page of entities, with claim counts for that page only."""
from __future__ import annotations

from django.db.models import Count

from kb.models import Claim, Entity


def entity_list():
    """Every entity, by kind then name (paginate it)."""
    return Entity.objects.only("id", "slug", "name", "kind").order_by("kind", "name", "id")


def with_claim_counts(entities, *, editor: bool) -> list[Entity]:
    """The entities given, each with `claim_count`: one grouped query over these entities'
    claims only, so the cost follows the page, not the knowledge base. Candidates and rejected
    claims are counted for editors only."""
    entities = list(entities)
    links = Claim.entities.through.objects.filter(entity_id__in=[e.pk for e in entities])
    if not editor:
        links = links.exclude(claim__status__in=Claim.UNREVIEWED)
    counts = dict(links.values("entity_id").annotate(n=Count("claim_id")).values_list("entity_id", "n"))
    for entity in entities:
        entity.claim_count = counts.get(entity.pk, 0)
    return entities
