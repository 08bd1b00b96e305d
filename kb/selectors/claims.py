"""Reads for the researcher's pages: the claim list with its filters, search and sorting.

Filters come from the query string through `kb.forms.claim_filters.ClaimFilterForm`: a bad value is reported and
ignored, never a 500. Sorting is from an allow-list. Every selector fetches what its page
shows in a fixed number of queries, whatever the page size.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Exists, F, FloatField, OuterRef, Prefetch, Q, Subquery, Value
from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from kb.models import Citation, Claim, ClaimText, Entity, Source
from kb.models.choices import Reliability
from kb.permissions import sees_unreviewed
from kb.selectors.id_lists import one_of
from kb.selectors.overlaps import derived_pairs_among
from kb.selectors.paging import COUNT_CAP
from kb.text.independence import SourceGroups
from kb.timeline import UNDATED

# Each ordering matches an index on Claim (status, sort key..., id), so a page is an index walk.
SORTS = {
    "date": ("date_sort", "id"),
    "-date": ("-date_sort", "-id"),
    "confidence": ("credibility_sort", "date_sort", "id"),
    "-confidence": ("-credibility_sort", "-date_sort", "-id"),
    "updated": ("-updated_at", "-id"),
    "relevance": (),
}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# A PostgreSQL search matching more statements than BROAD_SEARCH is "broad". Its matches are
# too many to fetch through the GIN index and sort (that costs every match), but common
# enough that walking the list's own index and testing each row finds a page quickly; it is
# not counted (the probe said "more than BROAD_SEARCH"), it is paged over its first
# BROAD_SEARCH_ROWS rows only, and sorted by date (ranking would rank every match).
BROAD_SEARCH = 5_000
BROAD_SEARCH_ROWS = 500


def _search(claims, query: str, filters: dict | None = None, *, whole: bool = False):
    """Claims whose statement or a quote has these words. With `filters` (a list page), a
    broad PostgreSQL search is marked there and not ranked; without (a bounded look-up that
    orders by rank), every match is ranked and no probe is made. `whole`: every match will be
    read (an export), so a broad search is not walked claim by claim (below)."""
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchVector

        search = SearchQuery(query, search_type="websearch", config="english")
        vector = SearchVector("statement", config="english")
        quoted = Citation.objects.annotate(
            document=SearchVector("quote", config="english")
        ).filter(document=search).order_by()
        stated = Claim.objects.annotate(document=vector).filter(document=search).order_by()
        # One probe through the statements' GIN index, stopping after BROAD_SEARCH + 1 rows.
        if filters is not None and stated.values("id")[: BROAD_SEARCH + 1].count() > BROAD_SEARCH:
            filters["broad_search"] = True
            if whole:
                # An export reads every match: walking the claims and testing each one's words
                # read ten claims for each match (9 s for 10,000 of "tunnels" at 1M); the matches
                # of both indexes hashed once a query, read many at a time (export_rows'
                # keys_ahead), cost 0.7 s per 10,000.
                return claims.filter(id__in=stated.values("id").union(quoted.values("claim_id")))
            # With a HAVING, so PostgreSQL tests the quotes of each row it walks instead of first
            # hashing every matching quote (100,000 for "tunnels" at a million claims): it does
            # not turn such an EXISTS into a hashed IN.
            own_quotes = (quoted.filter(claim_id=OuterRef("pk")).values("claim_id")
                          .annotate(n=Count("id")).filter(n__gt=0))
            return claims.annotate(document=vector).filter(Q(document=search) | Exists(own_quotes))
        # Few matches: both GIN indexes. A bounded look-up ranks them here; a list's count must
        # not rank every match, so its page or export ranks them (ranked_selection).
        matches = claims.filter(id__in=stated.values("id").union(quoted.values("claim_id")))
        if filters is None:
            return _ranked_on_postgres(matches, query)
        # The GIN lookups once: their ids (as many as a count counts), which the count (known
        # from them) and the page then reuse, instead of looking the words up again for each.
        ids = list(matches.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
        if len(ids) > COUNT_CAP:  # more matches through the quotes: looked up where needed
            return matches
        filters["match_count"] = len(ids)
        return claims.filter(one_of("id", ids))
    # SQLite: the FTS5 index of statements and quotes (kb.models.search), every word (or a
    # word it begins) in the statement or a quote; ranked by bm25 (negated: higher is better,
    # as on PostgreSQL). Probed like PostgreSQL's: a broad search is sorted by date, unranked.
    match = fts_query(query)
    if not match:  # no word at all (only signs): nothing matches, and nothing is asked of FTS5
        if filters is not None:
            filters["text_match"] = ""
        return claims.none().annotate(rank=Value(0.0, output_field=FloatField()))
    texts = ClaimText.objects.filter(document__match=match)
    if filters is None:  # a bounded look-up: the matches, ranked (the join is walked from FTS5)
        return _ranked_on_sqlite(claims, match)
    if texts.values("claim_id")[: BROAD_SEARCH + 1].count() > BROAD_SEARCH:
        filters["broad_search"] = True
    else:
        filters["text_match"] = match  # sort_claims ranks the matches by it
    # The matches as a list of ids: a count or a date order joined to FTS5 instead would make
    # SQLite ask FTS5 once per claim it walks.
    return claims.filter(id__in=texts.values("claim_id"))


def _ranked_on_postgres(claims, query: str):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    search = SearchQuery(query, search_type="websearch", config="english")
    return claims.annotate(rank=SearchRank(SearchVector("statement", config="english"), search))


def _ranked_on_sqlite(claims, match: str):
    return claims.filter(text_index__document__match=match).annotate(rank=-F("text_index__rank"))


# FTS5's query language gives meaning to quotes, *, ^, :, +, -, parentheses and the words AND,
# OR, NOT, NEAR: a visitor's words are taken as words only, each quoted (so "NEAR" or "OR" is
# just a word) and matched as a prefix ("tunnel" finds "tunnels").
FTS_WORDS = 8


def fts_query(query: str) -> str:
    words = re.findall(r"[^\W_]+", query.replace("\x00", " "))[:FTS_WORDS]
    return " ".join(f'"{word}"*' for word in words)


def contested_q() -> Q:
    """The claims on either side of a contradiction: a flag the relation services keep
    (kb.services.counts), so the contested list walks its own partial index."""
    return Q(is_contested=True)


def visible_claims(user):
    """Every claim this user may read: editors see candidates, nobody else does."""
    return Claim.objects.all() if sees_unreviewed(user) else Claim.objects.reviewed()


def filter_claims(filters: dict, *, base=None, editor: bool = False, whole: bool = False):
    """Claims matching the filters. Only an `editor` (kb.permissions.sees_unreviewed) gets
    candidate and rejected claims, whatever the filters say. `whole`: for reading every one (an
    export), not a page."""
    claims = base if base is not None else Claim.objects.all()
    if not editor:
        claims = claims.reviewed()
    status = filters.get("status")
    if status != "all":
        claims = claims.filter(status=status or Claim.Status.PUBLISHED)
    claims = claims.filter(merged_into__isnull=True)
    # The source, entity or tag is found by its slug in a scalar subquery, not joined: PostgreSQL
    # then knows how many rows it names (the join's estimate made it hash every tagged claim).
    if "source" in filters:
        source = Source.objects.filter(slug=filters["source"], is_current=True).values("id")[:1]
        claims = claims.filter(id__in=Citation.objects.filter(source_id=Subquery(source)).values("claim_id"))
    if "entity" in filters:
        entity = Entity.objects.filter(slug=filters["entity"]).values("id")[:1]
        claims = claims.filter(id__in=Claim.entities.through.objects.filter(
            entity_id=Subquery(entity)).values("claim_id"))
    if "tag" in filters:
        tag = Tag.objects.filter(slug=filters["tag"]).values("id")[:1]
        claims = claims.filter(id__in=TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Claim), tag_id=Subquery(tag)).values("object_id"))
    if "date_from" in filters:
        # A claim overlaps the range if it ends on or after its start (open ends always do).
        claims = claims.filter(Q(date_latest__gte=filters["date_from"]) | Q(date_latest__isnull=True, date_earliest__isnull=False))
    if "date_to" in filters:
        # date_sort is date_earliest (undated sort last): the same rows, and a bound on the list's index.
        claims = claims.filter(date_earliest__lte=filters["date_to"], date_sort__lte=filters["date_to"])
    if filters.get("dated") == "yes":
        claims = claims.filter(date_sort__lt=UNDATED)
    elif filters.get("dated") == "no":
        claims = claims.filter(date_sort=UNDATED)
    if filters.get("credibility"):
        claims = claims.filter(credibility__in=filters["credibility"])
    if filters.get("contested") == "yes":
        claims = claims.filter(contested_q())
    elif filters.get("contested") == "no":
        claims = claims.exclude(contested_q())
    if filters.get("q"):
        claims = _search(claims, filters["q"], filters, whole=whole)
    return claims


RANKED = ("-rank", "date_sort", "id")


def sort_order(filters: dict) -> tuple[tuple[str, ...], str]:
    """The ordering of a claim list with these filters (run through `filter_claims` first, which
    marks a broad search), and the sort's name: ranked by relevance for a search that is not
    broad (PostgreSQL's ts_rank, SQLite's bm25), otherwise one of SORTS."""
    sort = filters.get("sort") or ("relevance" if filters.get("q") else "date")
    if sort == "relevance":
        if filters.get("q") and not filters.get("broad_search") and (is_postgres() or "text_match" in filters):
            return RANKED, sort
        sort = "date"
    return SORTS[sort], sort


def ranked_selection(claims, filters: dict):
    """The filtered claims, able to be put in sort_order's order: a search that is not broad
    gets its `rank` here (PostgreSQL's ts_rank, SQLite's bm25 joined from FTS5), for the page
    or the export only, since a count must not rank every match (see _search)."""
    if sort_order(filters)[0] != RANKED:
        return claims
    if filters.get("text_match"):
        return _ranked_on_sqlite(claims, filters["text_match"])
    if is_postgres():
        return _ranked_on_postgres(claims, filters["q"])
    return claims


def sort_claims(claims, filters: dict):
    """The claims in their list's order (count the unsorted ones: see ranked_selection)."""
    order, sort = sort_order(filters)
    return ranked_selection(claims, filters).order_by(*order), sort


# Filters that choose rows among the published claims. Several together can match a few
# percent of a million claims, spread along every index: counting 10,001 of them tests about
# twenty times that many rows, so a narrowed list counts (and pages) its first NARROWED_CAP.
NARROWING = ("source", "entity", "tag", "date_from", "date_to", "dated", "credibility", "contested")
NARROWED_CAP = 1_000


def paging_limits(filters: dict) -> dict:
    """CappedPaginator arguments for a list with these filters: a broad search is known to
    match more than BROAD_SEARCH claims without counting them, and pages over fewer rows; a
    narrowed list counts up to NARROWED_CAP."""
    if filters.get("broad_search"):
        return {"known_count": BROAD_SEARCH + 1, "cap": BROAD_SEARCH, "max_rows": BROAD_SEARCH_ROWS}
    limits = {"cap": NARROWED_CAP} if any(filters.get(name) for name in NARROWING) else {}
    if "match_count" in filters:  # a PostgreSQL search's matches, read already (see _search)
        limits["known_count"] = min(filters["match_count"], limits.get("cap", COUNT_CAP) + 1)
    return limits


def with_list_data(claims):
    """What a claim row shows, prefetched: sources, tags, contested flag."""
    return claims.annotate(
        contested=F("is_contested"),
    ).prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source").only(
                "id", "claim_id", "source_id", "start", "end", "passage_id", "order",
                "source__slug", "source__title", "source__reliability", "source__version",
                "source__is_current", "source__kind",
            ).order_by("order", "id"),
        ),
        "tagged_items__tag",
    ).defer("rationale", "status_reason")


def dated_counts(claims) -> tuple[int, int]:
    """(dated, undated) among the filtered claims, in one query."""
    counts = claims.aggregate(dated=Count("id", filter=Q(date_sort__lt=UNDATED)),
                              undated=Count("id", filter=Q(date_sort=UNDATED)))
    return counts["dated"], counts["undated"]


def timeline_claims(claims, limit: int):
    """The first `limit` dated claims in time order, with what a timeline bar shows: keys
    first, as KeysFirst reads a list page (the ids along the covering index, then the rows)."""
    ids = claims.filter(date_sort__lt=UNDATED).order_by("date_sort", "id").values("id")[:limit]
    return list(
        Claim.objects.filter(id__in=ids).annotate(contested=F("is_contested"))
        .only("id", "statement", "date_wording", "date_edtf", "date_earliest", "date_latest", "credibility")
        .order_by("date_sort", "id")
    )


def independent_sources(sources: list[Source], pairs: set[tuple[int, int]]) -> list[Source]:
    """One source per independent voice (see kb.text.independence), the most reliable of each."""
    by_id = {source.pk: source for source in sources}
    groups = SourceGroups(pairs).partition((source.pk, source.slug) for source in sources)
    kept = [min((by_id[sid] for sid in group), key=lambda s: (s.reliability, s.pk)) for group in groups]
    return sorted(kept, key=lambda s: (s.reliability, s.pk))


@dataclass
class ClaimRow:
    claim: Claim
    sources: list[Source]
    independent: int
    copies: int
    grade: str
    tags: list[str]
    # (quote, its source) of each citation: read only for a search's results (page_rows)
    quotes: list[tuple[str, Source]] = field(default_factory=list)
    statement_html: str = ""  # with a search's words marked (kb.rendering.mark_search_hits)
    quote_html: str = ""  # the quote that holds the words the statement lacks, marked
    quote_source: Source | None = None  # and the source it is quoted from

    @property
    def reliability(self) -> str:
        """The best reliability among the claim's sources (the grade's letter)."""
        return self.grade[:1] if self.grade[:1].isalpha() else ""

    @property
    def reliability_label(self) -> str:
        return Reliability(self.reliability).label if self.reliability else ""


def _row(claim, sources: list[Source], tags: list[str], pairs) -> ClaimRow:
    independent = independent_sources(sources, pairs)
    best = min((s.reliability for s in sources), default="")
    return ClaimRow(
        claim=claim, sources=sources, independent=len(independent),
        copies=len(sources) - len(independent), grade=f"{best}{claim.credibility or ''}", tags=sorted(tags),
    )


def claim_rows(claims, pairs=None) -> list[ClaimRow]:
    """Rows for claims prefetched by `with_list_data`; the copy links are read for the cited
    sources only (one query) unless `pairs` is given."""
    claims = list(claims)
    cited = [list({c.source_id: c.source for c in claim.citations.all()}.values()) for claim in claims]
    if pairs is None:
        pairs = derived_pairs_among(source.pk for sources in cited for source in sources)
    return [
        _row(claim, sources, [item.tag.name for item in claim.tagged_items.all()], pairs)
        for claim, sources in zip(claims, cited)
    ]


# What a row of a claim list shows: nothing else of a claim is loaded for a list page.
LIST_FIELDS = ("id", "statement", "status", "date_edtf", "date_earliest", "date_latest", "date_wording", "credibility",
               "is_contested")


class KeysFirst:
    """A sorted list of claims whose slices are read keys first, in one query: the page's ids
    by the filters and the sort (a walk of the list's covering index that reads no row, see
    Claim.Meta.indexes), then only those rows (`id IN (… LIMIT n OFFSET m)`). Reading the rows
    while filtering made PostgreSQL fetch every row it tested, for a page of 50 among
    hundreds of thousands."""

    ordered = True

    def __init__(self, claims):
        self.claims = claims

    def __getitem__(self, index: slice) -> list[Claim]:
        ids = self.claims.values("id")[index]
        rows = Claim.objects.filter(id__in=ids).only(*LIST_FIELDS).order_by(*self.claims.query.order_by)
        return list(rows)


def list_claims(claims):
    """The claims of a list page, loading only what a row shows (see `page_rows`); a list
    sorted by its columns (not by a search's rank) is read keys first (KeysFirst)."""
    order = claims.query.order_by
    if order and all(isinstance(key, str) and key.lstrip("-") not in claims.query.annotations for key in order):
        return KeysFirst(claims)
    return claims.only(*LIST_FIELDS)


class CitedSource(NamedTuple):
    """What a claim row shows of a cited source (a Source instance per row cost more than the rest)."""

    id: int
    slug: str
    title: str
    reliability: str

    @property
    def pk(self) -> int:
        return self.id


def page_rows(claims, *, quotes: bool = False) -> list[ClaimRow]:
    """Rows for one page of claims (a list, or a sliced queryset), in four flat queries at any
    page or corpus size: the page's claims, their cited sources, their tags, and the copy links
    among those sources only; no queryset per row. Contested is the claims' kept flag. With
    `quotes` (a search's results, to show the quote a match is in) the citations' query reads
    their quotes too."""
    claims = list(claims)
    ids = [claim.pk for claim in claims]
    if not ids:
        return []
    for claim in claims:
        claim.contested = claim.is_contested  # kept by the relation services: no query
    cited: dict[int, dict[int, CitedSource]] = {}
    shown: dict[int, CitedSource] = {}  # one per source, however many of the page's claims cite it
    quoted: dict[int, list[str]] = {}
    columns = ("claim_id", "source_id", "source__slug", "source__title", "source__reliability")
    rows = Citation.objects.filter(claim_id__in=ids).order_by("order", "id").values_list(
        *columns, *(("quote",) if quotes else ()))
    for claim_id, source_id, slug, title, reliability, *quote in rows:
        source = shown.get(source_id)
        if source is None:
            source = shown[source_id] = CitedSource(source_id, slug, title, reliability)
        cited.setdefault(claim_id, {}).setdefault(source_id, source)
        if quote:
            quoted.setdefault(claim_id, []).append((quote[0], cited[claim_id][source_id]))
    tags: dict[int, list[str]] = {}
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim), object_id__in=ids
    ).values_list("object_id", "tag__name")
    for object_id, name in tagged:
        tags.setdefault(object_id, []).append(name)
    pairs = derived_pairs_among(sid for sources in cited.values() for sid in sources)
    rows = [_row(claim, list(cited.get(claim.pk, {}).values()), tags.get(claim.pk, []), pairs) for claim in claims]
    for row in rows:
        row.quotes = quoted.get(row.claim.pk, [])
    return rows


def flat_claim_rows(claims, *, limit: int, offset: int = 0) -> list[ClaimRow]:
    """One page of rows, as `claim_rows(with_list_data(...))` gives, in flat queries (see
    `page_rows`): the API's claim list, where a queryset per row was most of a page's time."""
    return page_rows(claims.defer("rationale", "status_reason")[offset : offset + limit])


FACET_LIMIT = 100


def facet_options(params=None):
    """Choices for the filter controls as (value, label, selected); three small queries, none
    counting claims. The choice the request made is kept even beyond the limit."""
    params = params or {}

    def options(queryset, key, label, name):
        chosen = params.get(name, "")
        rows = list(queryset.values_list(key, label)[:FACET_LIMIT])
        if chosen and chosen not in {value for value, _ in rows}:
            rows += list(queryset.filter(**{key: chosen}).values_list(key, label))
        return [(value, text, value == chosen) for value, text in rows]

    return {
        "sources": options(Source.objects.current().order_by("is_synthetic", "title"), "slug", "title", "source"),
        "entities": options(Entity.objects.order_by("is_synthetic", "name"), "slug", "name", "entity"),
        "tags": options(Tag.objects.order_by("name"), "slug", "name", "tag"),
    }


def claim_numbered(number: int) -> Claim | None:
    """The claim with this number (any status), or None: editors name other claims by number."""
    return Claim.objects.filter(pk=number).first()


def claim_linked_data(claim: Claim) -> tuple[list[Citation], list[Entity], list[str]]:
    """What a claim's JSON-LD says: its citations with their sources (no text), entities, tags
    (four queries)."""
    citations = list(
        Citation.objects.filter(claim=claim).select_related("source")
        .defer("source__text", "source__original").order_by("order", "id")
    )
    entities = list(claim.entities.order_by("name"))
    tags = sorted(claim.tags.names())
    return citations, entities, tags


LOOKUP_LIMIT = 10


def claim_number(text: str) -> int | None:
    """The claim number `text` names ("12" or "#12"), if that is all it is."""
    number = text.lstrip("#")
    return int(number) if number.isascii() and number.isdigit() and len(number) <= 12 else None


def claim_lookup(user, query: str, *, exclude: int | None = None, limit: int = LOOKUP_LIMIT) -> list[Claim]:
    """Claims an editor may relate or merge into, found by words (or by number, "#12" or "12"):
    published or candidate, visible to `user`, at most `limit`, the best match first (PostgreSQL's rank, SQLite's bm25). Two queries at most, bounded by the limit."""
    query = query.strip()[:200]
    if not query:
        return []
    claims = visible_claims(user).filter(status__in=[Claim.Status.PUBLISHED, Claim.Status.CANDIDATE])
    if exclude:
        claims = claims.exclude(pk=exclude)
    fields = ("id", "statement", "status", "date_edtf", "date_earliest", "date_latest", "date_wording", "credibility")
    number = claim_number(query)
    if number is not None:
        return list(claims.filter(pk=number).only(*fields))
    return list(_search(claims, query).only(*fields).order_by("-rank", "-id")[:limit])


def claims_found(claims, term: str) -> tuple:
    """The admin's search: (the claims, how many are given when more matched, else None).

    A claim's number or key exactly; else the words through the search index (PostgreSQL's
    GIN over statements, SQLite's FTS5 over statements and quotes), never a `LIKE '%…%'` over
    every statement. PostgreSQL gives at most COUNT_CAP + 1 matches, as the index yields them
    (a broad word in a million claims matches 100,000: testing each while walking the newest
    first took seconds); the admin then orders those. At most 200 characters are searched."""
    term = term.strip()[:200]
    number = claim_number(term)
    if number is not None:
        return claims.filter(pk=number), None
    if " " not in term and claims.filter(key=term).exists():
        return claims.filter(key=term), None
    if not is_postgres():
        return _search(claims, term, {}), None
    from django.contrib.postgres.search import SearchQuery, SearchVector

    stated = claims.annotate(document=SearchVector("statement", config="english")).filter(
        document=SearchQuery(term, search_type="websearch", config="english"))
    ids = list(stated.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
    return claims.filter(one_of("id", ids[:COUNT_CAP])), COUNT_CAP if len(ids) > COUNT_CAP else None
