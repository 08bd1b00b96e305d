"""Claims for an export, read a chunk at a time: the one reader every export streams from.

The selection is walked by a keyset: by id (each chunk is `id > last ORDER BY id LIMIT n`),
or in a claim list's own sort (`(date_sort, id) > (last date, last id)`, the list's index walked
from where the last chunk stopped), so an export's rows come in the page's order at the cost
of an id walk however deep. The walk reads the claims' fields itself; each chunk's citations,
entities, tags and relations (both ways, so the contested flag comes with them) come in one
query apiece. A source is read once per export (the fields the formats show, never its text),
and shared by every citation that quotes it. So an export costs a fixed number of queries per
chunk, and its memory holds one chunk and the sources seen, whatever the corpus size.
"""
from __future__ import annotations

from collections import deque, namedtuple
from collections.abc import Sequence
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from taggit.models import TaggedItem

from kb.models import Citation, Claim, Credibility, Relation, Source
from kb.selectors.id_lists import one_of
from kb.selectors.row_values import rows_after

CHUNK = 1000
# A search's export reads this many matches' keys at once (see _next_claims): each query of a
# broad search's matches gathers them from the search indexes, whatever its length.
SEARCH_KEYS_AHEAD = 10_000
_NONE = ()  # what a claim without citations, entities, tags or relations has of them


class ExportRow(NamedTuple):
    """A claim and what its export rows show; each an attribute holder with the model's field
    names. The lists are sequences to read (a claim without any shares one empty tuple)."""

    claim: ClaimValues
    citations: Sequence[CitationValues]  # each with its `source` (SourceValues) and `page`
    entities: Sequence[SimpleNamespace]
    tags: Sequence[str]
    relations: Sequence[RelationValues] = ()  # from this claim to others
    related_from: Sequence[RelationValues] = ()  # from others to this claim

    @property
    def contested(self) -> bool:
        """On either side of a contradiction (read only with `relations=True`)."""
        return any(r.type == "contradicts" for r in (*self.relations, *self.related_from))


BY_ID = ("id",)


def export_ids(claims, *, after: int = 0, limit: int):
    """The next `limit` ids of the selection after `after`, in id order."""
    return list(claims.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:limit])


def _keyset(order: tuple[str, ...]) -> bool:
    """Whether `order` can be walked as a keyset: plain fields in one direction, ending with the id
    (a list's sorts are; a search ranked by relevance is not)."""
    fields = [f.lstrip("-") for f in order]
    return (fields[-1] == "id" and "rank" not in fields
            and len({f.startswith("-") for f in order}) == 1)


def more_than(claims, limit: int) -> bool:
    """Whether the selection holds more than `limit` claims (an index walk of `limit` rows, no count)."""
    return claims.order_by("id").values_list("id", flat=True)[limit:limit + 1].exists()


_SOURCE_FIELDS = ("id", "slug", "version", "title", "publisher", "url", "sha256", "reliability")


class SourceValues(namedtuple("SourceValues", _SOURCE_FIELDS)):
    """What the export formats read of a cited source (never its text or original bytes)."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id


class _Sources(dict):
    """Sources by id, each read once per export. As the fields the formats show: a model
    instance with its dates and timestamps parsed cost more than its citation's whole row."""

    def load(self, ids) -> None:
        missing = [pk for pk in ids if pk not in self]
        if missing:
            make = SourceValues._make
            self.update((values[0], make(values))
                        for values in Source.objects.filter(one_of("id", missing)).values_list(*_SOURCE_FIELDS))


# What the export formats read of each row. Rows are read as tuples (values_list) and handed
# on as named tuples with the model's field names: building a model instance per claim and
# citation was most of an export's time (about 20 us each), a dict and a SimpleNamespace per
# row still a third of it, and the formats only read fields. The timestamps come last and are
# read only for the formats that show them (the API's): turning SQLite's text into aware
# datetimes was a fifth of a CSV export's time.
_CLAIM_FIELDS = ("id", "key", "statement", "kind", "status", "date_edtf", "date_earliest", "date_latest",
                 "date_precision", "date_wording", "credibility", "rationale")
_CITATION_FIELDS = ("id", "claim_id", "source_id", "start", "end", "quote", "prefix", "suffix", "attribution",
                    "stance", "anchoring", "page")
_ENTITY_FIELDS = ("entity_id", "entity__slug", "entity__name", "entity__kind", "entity__wikidata_id")
_CREDIBILITY_LABELS = {member.value: member.label for member in Credibility}


class ClaimValues(namedtuple("ClaimValues", (*_CLAIM_FIELDS, "updated_at"))):
    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id

    @property
    def credibility_label(self) -> str:
        return _CREDIBILITY_LABELS[self.credibility] if self.credibility else "not graded"


class CitationValues(namedtuple("CitationValues", (*_CITATION_FIELDS, "created_at", "source"))):
    """A citation's fields and its `source` (SourceValues)."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id


RelationValues = namedtuple("RelationValues", ("from_claim_id", "to_claim_id", "type", "note"))


def _of_chunk(queryset, field: str, ids: list[int]):
    """`queryset` narrowed to the rows whose `field` is one of `ids`, and the ids to keep when
    filtering the rows read (None: every row read is wanted). A chunk of a broad selection in id
    order is nearly a run of consecutive ids: read as a range (an index range scan, and no
    thousand parameters for the ORM to prepare); any other chunk as an IN list."""
    low, high = min(ids), max(ids)
    span = high - low + 1
    if span > 2 * len(ids):
        return queryset.filter(one_of(field, ids)), None
    ranged = queryset.filter(**{f"{field}__gte": low, f"{field}__lte": high})
    return ranged, (None if span == len(ids) else set(ids))


def _chunk_rows(rows: list[tuple], sources: _Sources, entities: dict, *, relations: bool, timestamps: bool):
    """The ExportRows of a chunk's claims (`rows`: each claim's _CLAIM_FIELDS, its `updated_at`
    when `timestamps`, then anything else), in that order, with their citations, entities, tags
    and relations.

    The chunk's rows are read at once (a query apiece); each ExportRow, its claim and the lists
    a claim has none of are made only as it is handed on (a shared empty tuple for the lists),
    so what stays alive through a chunk is the rows read. Keeping fewer objects alive keeps
    Python's garbage collector from walking them again and again (it runs as live objects
    accumulate: a seventh of an export's time with an object per claim and per list)."""
    ids = [row[0] for row in rows]
    chunk = set(ids)
    citations, wanted = _of_chunk(Citation.objects.with_page(), "claim_id", ids)
    fields = (*_CITATION_FIELDS, "created_at") if timestamps else _CITATION_FIELDS
    citations = list(citations.order_by("claim_id", "order", "id").values_list(*fields))
    if wanted is not None:
        citations = [values for values in citations if values[1] in wanted]
    sources.load({values[2] for values in citations})
    cited = _Runs(citations, 1)
    through, wanted = _of_chunk(Claim.entities.through.objects, "claim_id", ids)
    about = list(through.order_by("claim_id", "entity__name", "entity_id").values_list("claim_id", *_ENTITY_FIELDS))
    if wanted is not None:
        about = [values for values in about if values[0] in wanted]
    for _claim_id, entity_id, slug, name, kind, wikidata_id in about:
        if entity_id not in entities:
            entities[entity_id] = SimpleNamespace(pk=entity_id, id=entity_id, slug=slug, name=name, kind=kind,
                                                  wikidata_id=wikidata_id)
    about = _Runs(about, 0)
    items, wanted = _of_chunk(TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Claim)),
                              "object_id", ids)
    tagged = list(items.order_by("object_id", "tag__name").values_list("object_id", "tag__name"))
    if wanted is not None:
        tagged = [values for values in tagged if values[0] in wanted]
    tagged = _Runs(tagged, 0)
    related, related_from = {}, {}
    if relations:
        # Both ways in one query (the from_claim and to_claim indexes): a claim's own relations,
        # and the ones other claims make to it, which the contested flag needs too.
        # (The ids' range when the chunk is one, as the other rows; a relation between two claims
        # outside the chunk but inside its range is read and left out below.)
        low, high = min(ids), max(ids)
        if high - low + 1 <= 2 * len(ids):
            either = (Q(from_claim_id__gte=low, from_claim_id__lte=high)
                      | Q(to_claim_id__gte=low, to_claim_id__lte=high))
        else:
            either = one_of("from_claim_id", ids) | one_of("to_claim_id", ids)
        for values in (Relation.objects.filter(either)
                       .order_by("from_claim_id", "type", "to_claim_id")
                       .values_list("from_claim_id", "to_claim_id", "type", "note")):
            relation = RelationValues._make(values)
            if relation.from_claim_id in chunk:
                related.setdefault(relation.from_claim_id, []).append(relation)
            if relation.to_claim_id in chunk:
                related_from.setdefault(relation.to_claim_id, []).append(relation)
    return _handed_on(rows, cited, about, tagged, related, related_from, sources, entities, timestamps=timestamps)


class _Runs:
    """Rows sorted by a claim id (at `key`), and where each claim's run of them starts and stops
    (plain ints, which the garbage collector does not track, instead of a list per claim)."""

    __slots__ = ("rows", "start", "stop")

    def __init__(self, rows: list[tuple], key: int):
        self.rows, self.start, self.stop = rows, {}, {}
        start, stop = self.start, self.stop
        for index, values in enumerate(rows):
            claim_id = values[key]
            if claim_id not in start:
                start[claim_id] = index
            stop[claim_id] = index + 1

    def of(self, claim_id: int) -> list[tuple]:
        start = self.start.get(claim_id)
        return _NONE if start is None else self.rows[start:self.stop[claim_id]]


def _handed_on(rows, cited: _Runs, about: _Runs, tagged: _Runs, related, related_from, sources, entities, *,
               timestamps: bool):
    make, width = ClaimValues._make, len(_CLAIM_FIELDS)
    make_citation = CitationValues._make
    for row in rows:
        pk = row[0]
        claim = make(row[:width + 1]) if timestamps else make((*row[:width], None))
        citations = cited.of(pk)
        if citations:
            citations = [make_citation((*values, sources[values[2]]) if timestamps
                                       else (*values, None, sources[values[2]])) for values in citations]
        about_it = about.of(pk)
        if about_it:
            about_it = [entities[values[1]] for values in about_it]
        tags = tagged.of(pk)
        if tags:
            tags = [values[1] for values in tags]
        yield ExportRow(claim, citations, about_it, tags, related.get(pk, _NONE), related_from.get(pk, _NONE))


def _next_claims(claims, order: tuple[str, ...], state: dict, size: int, *, timestamps: bool,
                 keys_ahead: int | None = None) -> list[tuple]:
    """The next chunk's claims in `order` (each its _CLAIM_FIELDS, its `updated_at` when
    `timestamps`, then the sort's keys), moving `state` on. The walk reads the claims' own
    fields itself (a keyset over the sort's index, or, for an order that is not one (relevance:
    a ranked search, bounded by kb.selectors.claims.BROAD_SEARCH), by offset): reading the ids
    first and then the claims by those ids cost a query and a sort per chunk more.

    With `keys_ahead`, a walkable order reads that many claims' keys at once and each chunk its
    claims by their ids: for a selection whose every query costs the same whatever its length
    (a broad search's matches, gathered from the search indexes for each query)."""
    fields = (*_CLAIM_FIELDS, "updated_at") if timestamps else _CLAIM_FIELDS
    if keys_ahead and (order == BY_ID or _keyset(order)):
        return _claims_by_keys_ahead(claims, order, state, size, fields, keys_ahead)
    if order == BY_ID:
        rows = list(_walked_from(claims, order, state["last"]).order_by("id").values_list(*fields)[:size])
        state["last"] = rows[-1][0] if rows else state["last"]
    elif _keyset(order):
        # The sort keys (ending with the id) read beside the fields, for the next chunk's start.
        keys = [f.lstrip("-") for f in order]
        rows = list(_walked_from(claims, order, state["last"]).order_by(*order).values_list(*fields, *keys)[:size])
        state["last"] = rows[-1][len(fields):] if rows else state["last"]
    else:
        start = state["offset"]
        state["offset"] += size
        rows = list(claims.order_by(*order).values_list(*fields)[start:start + size])
    return rows


def _walked_from(claims, order: tuple[str, ...], last):
    """The selection after `last` in a walkable `order`: nothing yet (None), an id (the id
    order's `after`), or the sort keys of the last row read."""
    if last is None:
        return claims
    if order == BY_ID:
        return claims.filter(id__gt=last[-1] if isinstance(last, tuple) else last)
    return claims.filter(rows_after(order, last))


def _claims_by_keys_ahead(claims, order, state: dict, size: int, fields, keys_ahead: int) -> list[tuple]:
    ahead = state.setdefault("ahead", deque())
    keys = [f.lstrip("-") for f in order]
    while len(ahead) < size and not state.get("walked"):
        batch = list(_walked_from(claims, order, state["last"]).order_by(*order).values_list(*keys)[:keys_ahead])
        ahead.extend(batch)
        state["walked"] = len(batch) < keys_ahead  # the last batch: nothing after it
        state["last"] = batch[-1] if batch else state["last"]
    ids = [ahead.popleft()[-1] for _ in range(min(size, len(ahead)))]
    found = {row[0]: row for row in Claim.objects.filter(one_of("id", ids)).values_list(*fields)}
    return [found[pk] for pk in ids if pk in found]


def export_rows(claims, *, after: int = 0, limit: int | None = None, relations: bool = False,
                timestamps: bool = True, chunk: int | None = None, order: tuple[str, ...] = BY_ID,
                keys_ahead: int | None = None):
    """Every claim of the selection (with an id above `after`, at most `limit`) in `order` (a claim
    list's sort, kb.selectors.claims.sort_order; by id unless said), as ExportRows, read CHUNK
    claims at a time; nothing is read until the first row is asked for. `relations` reads each
    chunk's relations both ways (the JSON-LD's relations, the CSV's relation and contested columns).
    `timestamps=False` leaves the claims' `updated_at` and citations' `created_at` None, for the
    formats that do not show them. `keys_ahead`: see _next_claims (a search's export)."""
    if after and order != BY_ID:
        raise ValueError("`after` is an id: it walks the id order only")
    chunk = chunk or CHUNK
    if keys_ahead and limit is not None:
        keys_ahead = min(keys_ahead, max(limit, 1))
    sources, entities = _Sources(), {}
    state, left = {"last": after or None, "offset": 0}, limit
    while left is None or left > 0:
        size = chunk if left is None else min(chunk, left)
        chosen = _next_claims(claims, order, state, size, timestamps=timestamps, keys_ahead=keys_ahead)
        if not chosen:
            return
        if left is not None:
            left -= len(chosen)
        yield from _chunk_rows(chosen, sources, entities, relations=relations, timestamps=timestamps)
        if len(chosen) < size:
            return
