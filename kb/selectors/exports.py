"""Claims for an export, read a chunk at a time: the one reader every export streams from.

The selection is walked by id (a keyset: each chunk is `id > last ORDER BY id LIMIT n`, an
index walk however deep), and each chunk's citations, entities, tags and relations come in one
query apiece. A source is read once per export, without its text or original bytes, and
shared by every citation that quotes it. So an export costs a fixed number of queries per
chunk, and its memory holds one chunk and the sources seen, whatever the corpus size.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from kb.models import Citation, Claim, Entity, Relation, Source

CHUNK = 1000


@dataclass
class ExportRow:
    claim: Claim
    citations: list[Citation]
    entities: list[Entity]
    tags: list[str]
    relations: list[Relation] = field(default_factory=list)


def export_ids(claims, *, after: int = 0, limit: int):
    """The next `limit` ids of the selection after `after`, in id order."""
    return list(claims.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:limit])


def more_than(claims, limit: int) -> bool:
    """Whether the selection holds more than `limit` claims (an index walk of `limit` rows, no count)."""
    return claims.order_by("id").values_list("id", flat=True)[limit:limit + 1].exists()


class _Sources(dict):
    """Sources by id, each read once per export (without its text)."""

    def load(self, ids) -> None:
        missing = {pk for pk in ids if pk not in self}
        if missing:
            self.update((s.pk, s) for s in Source.objects.filter(pk__in=missing).defer("text", "original"))


def _chunk_rows(ids: list[int], sources: _Sources, *, relations: bool) -> list[ExportRow]:
    claims = list(Claim.objects.filter(id__in=ids).order_by("id"))
    citations = list(
        Citation.objects.with_page().filter(claim_id__in=ids).order_by("claim_id", "order", "id")
        .only("id", "claim_id", "source_id", "order", "start", "end", "quote", "prefix", "suffix",
              "attribution", "stance", "anchoring", "created_at")
    )
    sources.load({c.source_id for c in citations})
    cited = defaultdict(list)
    for citation in citations:
        citation.source = sources[citation.source_id]
        cited[citation.claim_id].append(citation)
    about = defaultdict(list)
    through = Claim.entities.through.objects.filter(claim_id__in=ids).select_related("entity").order_by(
        "claim_id", "entity__name", "entity_id")
    for link in through:
        about[link.claim_id].append(link.entity)
    tagged = defaultdict(list)
    claim_type = ContentType.objects.get_for_model(Claim)
    for claim_id, name in (TaggedItem.objects.filter(content_type=claim_type, object_id__in=ids)
                           .order_by("object_id", "tag__name").values_list("object_id", "tag__name")):
        tagged[claim_id].append(name)
    related = defaultdict(list)
    if relations:
        for relation in Relation.objects.filter(from_claim_id__in=ids).order_by("from_claim_id", "type", "to_claim_id"):
            related[relation.from_claim_id].append(relation)
    return [ExportRow(c, cited[c.pk], about[c.pk], tagged[c.pk], related[c.pk]) for c in claims]


def export_rows(claims, *, after: int = 0, limit: int | None = None, relations: bool = False,
                chunk: int | None = None):
    """Every claim of the selection with an id above `after` (at most `limit`) in id order, as
    ExportRows, read CHUNK claims at a time; nothing is read until the first row is asked for."""
    chunk = chunk or CHUNK
    sources = _Sources()
    last, left = after, limit
    while left is None or left > 0:
        size = chunk if left is None else min(chunk, left)
        ids = export_ids(claims, after=last, limit=size)
        if not ids:
            return
        last = ids[-1]
        if left is not None:
            left -= len(ids)
        yield from _chunk_rows(ids, sources, relations=relations)
        if len(ids) < size:
            return
