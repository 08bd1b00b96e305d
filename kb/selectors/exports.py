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
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from kb.models import Citation, Claim, Credibility, Relation, Source

CHUNK = 1000


@dataclass
class ExportRow:
    """A claim and what its export rows show; each an attribute holder with the model's field names."""

    claim: SimpleNamespace
    citations: list[SimpleNamespace]  # each with its `source` (a Source without its text) and `page`
    entities: list[SimpleNamespace]
    tags: list[str]
    relations: list[SimpleNamespace] = field(default_factory=list)


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


# What the export formats read of each row. Rows are read as values and handed on as plain
# attribute holders: building a model instance per claim and citation was most of an export's
# time (about 20 us each), and the formats only read fields.
_CLAIM_FIELDS = ("id", "key", "statement", "kind", "status", "date_edtf", "date_earliest", "date_latest",
                 "date_precision", "date_wording", "credibility", "rationale", "updated_at")
_CITATION_FIELDS = ("id", "claim_id", "source_id", "start", "end", "quote", "prefix", "suffix", "attribution",
                    "stance", "anchoring", "created_at", "page")
_ENTITY_FIELDS = ("entity_id", "entity__slug", "entity__name", "entity__kind", "entity__wikidata_id")


def _claim(values: dict) -> SimpleNamespace:
    credibility = values["credibility"]
    return SimpleNamespace(pk=values["id"], credibility_label=Credibility(credibility).label if credibility
                           else "not graded", **values)


def _chunk_rows(ids: list[int], sources: _Sources, entities: dict, *, relations: bool) -> list[ExportRow]:
    claims = [_claim(values) for values in Claim.objects.filter(id__in=ids).order_by("id").values(*_CLAIM_FIELDS)]
    citations = list(
        Citation.objects.with_page().filter(claim_id__in=ids).order_by("claim_id", "order", "id")
        .values(*_CITATION_FIELDS)
    )
    sources.load({c["source_id"] for c in citations})
    cited = defaultdict(list)
    for values in citations:
        cited[values["claim_id"]].append(SimpleNamespace(pk=values["id"], source=sources[values["source_id"]], **values))
    about = defaultdict(list)
    through = Claim.entities.through.objects.filter(claim_id__in=ids).order_by(
        "claim_id", "entity__name", "entity_id").values_list("claim_id", *_ENTITY_FIELDS)
    for claim_id, entity_id, slug, name, kind, wikidata_id in through:
        entity = entities.get(entity_id)
        if entity is None:
            entity = entities[entity_id] = SimpleNamespace(pk=entity_id, id=entity_id, slug=slug, name=name, kind=kind,
                                                           wikidata_id=wikidata_id)
        about[claim_id].append(entity)
    tagged = defaultdict(list)
    claim_type = ContentType.objects.get_for_model(Claim)
    for claim_id, name in (TaggedItem.objects.filter(content_type=claim_type, object_id__in=ids)
                           .order_by("object_id", "tag__name").values_list("object_id", "tag__name")):
        tagged[claim_id].append(name)
    related = defaultdict(list)
    if relations:
        for values in (Relation.objects.filter(from_claim_id__in=ids).order_by("from_claim_id", "type", "to_claim_id")
                       .values("from_claim_id", "to_claim_id", "type", "note")):
            related[values["from_claim_id"]].append(SimpleNamespace(**values))
    return [ExportRow(c, cited[c.pk], about[c.pk], tagged[c.pk], related[c.pk]) for c in claims]


def export_rows(claims, *, after: int = 0, limit: int | None = None, relations: bool = False,
                chunk: int | None = None):
    """Every claim of the selection with an id above `after` (at most `limit`) in id order, as
    ExportRows, read CHUNK claims at a time; nothing is read until the first row is asked for."""
    chunk = chunk or CHUNK
    sources, entities = _Sources(), {}
    last, left = after, limit
    while left is None or left > 0:
        size = chunk if left is None else min(chunk, left)
        ids = export_ids(claims, after=last, limit=size)
        if not ids:
            return
        last = ids[-1]
        if left is not None:
            left -= len(ids)
        yield from _chunk_rows(ids, sources, entities, relations=relations)
        if len(ids) < size:
            return
