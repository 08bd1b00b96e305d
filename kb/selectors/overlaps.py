"""Reads about text shared between sources: the shingle index, copy links, independence."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q

from kb.extraction.segment import blocks_from_structure
from kb.models import Citation, Claim, Passage, Relation, ShingleHolders, Source, SourceLink, SourceShingle
from kb.text.independence import SourceGroups
from kb.text.sentences import CONTENT_KINDS
from kb.text.shingles import (
    COMMON_HASH_SOURCES, MAX_CANDIDATES, MIN_HITS, MIN_RUN_WORDS, QUERY_CHUNK, SHINGLE_WORDS,
    Doc, Finding, compare_texts, is_derived, sampled_hashes, text_doc,
)


def _content_ranges(source) -> list[tuple[int, int, str]]:
    return list(
        source.passages.filter(kind__in=CONTENT_KINDS).order_by("start").values_list("start", "end", "anchor")
    )


def _content_ranges_of(source_ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Content ranges of several sources in one query."""
    ranges: dict[int, list[tuple[int, int, str]]] = {}
    rows = Passage.objects.filter(source_id__in=source_ids, kind__in=CONTENT_KINDS).order_by("source_id", "start")
    for source_id, start, end, anchor in rows.values_list("source_id", "start", "end", "anchor"):
        ranges.setdefault(source_id, []).append((start, end, anchor))
    return ranges


def as_doc(obj, structure=None) -> Doc:
    """A Doc from a stored Source, a Doc, or a text (with the importer's structure, or as one passage)."""
    if isinstance(obj, Doc):
        return obj
    if isinstance(obj, str):
        blocks = structure if structure is None or isinstance(structure, list) else blocks_from_structure(structure)
        return text_doc(obj, blocks)
    return Doc(obj.text, _content_ranges(obj), obj)


def candidate_sources(hashes: set[int], *, exclude_slug: str | None = None,
                      limit: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
    """(source id, shared sampled hashes) for current sources sharing at least MIN_HITS, most first."""
    hits: Counter = Counter()
    ordered = sorted(hashes)
    for i in range(0, len(ordered), QUERY_CHUNK):
        chunk = ordered[i : i + QUERY_CHUNK]
        # Stock phrases are dropped by their kept holder counts (one primary-key lookup per
        # hash, kb.services.overlaps keeps them), so their thousands of rows are never read.
        common = set(ShingleHolders.objects.filter(hash__in=chunk, sources__gt=COMMON_HASH_SOURCES)
                     .values_list("hash", flat=True))
        rare = [h for h in chunk if h not in common]
        if not rare:
            continue
        rows = SourceShingle.objects.filter(hash__in=rare, source__is_current=True)
        if exclude_slug:
            rows = rows.exclude(source__slug=exclude_slug)
        hits.update(rows.values_list("source_id", flat=True))
    return [(sid, n) for sid, n in hits.most_common(limit) if n >= MIN_HITS]


def _later(new_published, new_order, other) -> bool:
    """Is the checked text later than `other`? Publication dates decide when both are known and
    differ; otherwise import order does (the checked text is the newer import unless stored earlier)."""
    other_published = other.published_earliest
    if new_published and other_published and new_published != other_published:
        return new_published > other_published
    if new_order is None:
        return True
    return new_order > (other.imported_at, other.pk)


def find_overlaps(text_or_source, *, structure=None, published=None, exclude_slug: str | None = None) -> list[Finding]:
    """Stored sources that share text with a source or a text (preview), most shared first.

    For a text, `structure` is the importer's parse (passages give the evidence its anchors)
    and `published` its publication date (a date), used for the direction."""
    doc = as_doc(text_or_source, structure)
    stored = doc.source
    if stored is not None:
        exclude_slug = stored.slug
        published = stored.published_earliest
        order = (stored.imported_at, stored.pk)
    else:
        order = None
    candidates = candidate_sources(sampled_hashes(doc), exclude_slug=exclude_slug)
    others = Source.objects.defer("original").in_bulk([sid for sid, _ in candidates])
    ranges = _content_ranges_of([sid for sid, _ in candidates])
    findings = []
    for sid, hits in candidates:
        other = others[sid]
        other_doc = Doc(other.text, ranges.get(sid, []), other)
        if len(doc.owners.keys() & other_doc.owners.keys()) < MIN_RUN_WORDS - SHINGLE_WORDS + 1:
            continue  # too few shared shingles to hold a single long run: not worth comparing
        forward = compare_texts(doc, other_doc)
        backward = compare_texts(other_doc, doc)
        later = _later(published, order, other)
        copy_share, copy_runs = (forward.share, forward.evidence) if later else (backward.share, backward.evidence)
        findings.append(Finding(
            other=other, hits=hits, share=forward.share, other_share=backward.share,
            runs=forward.evidence, other_runs=backward.evidence,
            derived=is_derived(copy_share, copy_runs), copies_other=later,
        ))
    findings.sort(key=lambda f: (not f.derived, -max(f.share, f.other_share)))
    return findings


def derived_pairs() -> set[tuple[int, int]]:
    """(copy, original) source ids of every derived_from link; one query."""
    return set(SourceLink.objects.filter(kind=SourceLink.Kind.DERIVED_FROM).values_list("source_id", "target_id"))


def derived_pairs_among(source_ids) -> set[tuple[int, int]]:
    """(copy, original) pairs of the derived_from links that can join any two of these sources:
    every link of their connected groups, found by one recursive query. `SourceGroups` over
    these pairs groups the given sources exactly as over `derived_pairs()`, but a page reads
    only the links of the sources it shows, not every link in the knowledge base."""
    ids = sorted({int(sid) for sid in source_ids})
    if not ids:
        return set()
    # Through the router, as a queryset would be: anonymous reads go to the replica.
    connection = connections[router.db_for_read(SourceLink)]
    table = connection.ops.quote_name(SourceLink._meta.db_table)
    marks = ", ".join(["(%s)"] * len(ids))
    # UNION (not UNION ALL) drops ids already reached, so the walk ends on cycles too.
    sql = f"""
        WITH RECURSIVE start_ids(id) AS (VALUES {marks}),
        reach(id) AS (
            SELECT CAST(id AS BIGINT) FROM start_ids
            UNION
            SELECT CAST(CASE WHEN link.source_id = reach.id THEN link.target_id ELSE link.source_id END AS BIGINT)
            FROM {table} link JOIN reach ON link.source_id = reach.id OR link.target_id = reach.id
            WHERE link.kind = %s
        )
        SELECT link.source_id, link.target_id FROM {table} link
        WHERE link.kind = %s AND link.source_id IN (SELECT id FROM reach)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, SourceLink.Kind.DERIVED_FROM, SourceLink.Kind.DERIVED_FROM])
        return {(copy, original) for copy, original in cursor.fetchall()}


def _citation_keys(citations) -> list[tuple[int, str | None]]:
    keys = []
    for citation in citations:
        cached = citation._state.fields_cache.get("source")
        keys.append((citation.source_id, cached.slug if cached is not None else None))
    return keys


def independent_source_counts(claims, pairs: set[tuple[int, int]] | None = None) -> dict[int, int]:
    """{claim id: number of independent sources among its citations}, for claims whose
    `citations` are prefetched (select `source` too and versions of one source count once).
    `pairs` is `derived_pairs()`, computed once for the whole list: then this runs no query."""
    groups = SourceGroups(derived_pairs() if pairs is None else pairs)
    return {claim.pk: groups.count(_citation_keys(claim.citations.all())) for claim in claims}


def independent_source_count(claim) -> int:
    """How many independent sources state this claim: sources linked by derived_from (either
    way, transitively) count once, and so do versions of one source. Two queries."""
    citations = Citation.objects.filter(claim=claim).select_related("source").only("source_id", "source__slug")
    return SourceGroups(derived_pairs()).count(_citation_keys(citations))


@dataclass(frozen=True)
class CopyRun:
    """A long run of words two sources share, from one source's side: the passage here, the
    passage there."""

    here: str
    there: str
    quote: str
    words: int


@dataclass(frozen=True)
class CopyLink:
    """A derived_from link seen from one source: the other source, how much is shared, the runs,
    and how many of this source's claims the other states too (`claims_shared` of `claims_here`)."""

    link: SourceLink
    other: Source
    runs: list[CopyRun]
    claims_shared: int = 0
    claims_here: int = 0

    @property
    def claims_share(self) -> float:
        return self.claims_shared / self.claims_here if self.claims_here else 0.0

    @property
    def words_in_runs(self) -> int:
        return sum(run.words for run in self.runs)


@dataclass
class SourceCopying:
    copies: list[CopyLink]  # the sources this one repeats
    copied_by: list[CopyLink]  # the sources that repeat this one


def _seen_from(link: SourceLink, *, copy: bool) -> CopyLink:
    # The evidence is written from the copy's side: `passage` is in the copy, `target_passage` in the original.
    here, there = ("passage", "target_passage") if copy else ("target_passage", "passage")
    runs = [CopyRun(run.get(here, ""), run.get(there, ""), run.get("quote", ""), run.get("words", 0))
            for run in link.evidence]
    return CopyLink(link, link.target if copy else link.source, runs)


# Relations that say two claims state the same thing, or one bends the other: a claim of this
# source "is in" another source when that source cites it or a claim related to it this way.
SAME_CLAIM_RELATIONS = (
    Relation.Type.CORROBORATES, Relation.Type.CONSISTENT_WITH, Relation.Type.SUPPORTS,
    Relation.Type.REFINES, Relation.Type.UPDATES, Relation.Type.DISTORTS,
)


def claims_also_in(source, others: list[Source], claims_here: set[int] | None = None) -> tuple[int, dict[str, int]]:
    """How many reviewed claims this source states, and how many of them each other source (by
    slug, any version) states too: the same claim cited there, or a claim it agrees with,
    refines, updates or distorts. Reads only this source's claims, their relations and the other
    sources' citations (two queries, three without `claims_here`): not the corpus."""
    if claims_here is None:
        claims_here = set(
            Citation.objects.filter(source=source).exclude(anchoring=Citation.Anchoring.ORPHANED)
            .exclude(claim__status__in=Claim.UNREVIEWED).values_list("claim_id", flat=True)
        )
    slugs = sorted({other.slug for other in others} - {source.slug})
    if not claims_here or not slugs:
        return len(claims_here), {}
    cited_there: dict[str, set[int]] = {}
    rows = (
        Citation.objects.filter(source__slug__in=slugs).exclude(anchoring=Citation.Anchoring.ORPHANED)
        .exclude(claim__status__in=Claim.UNREVIEWED).values_list("source__slug", "claim_id").distinct()
    )
    for slug, claim_id in rows:
        cited_there.setdefault(slug, set()).add(claim_id)
    kin: dict[int, set[int]] = {claim_id: {claim_id} for claim_id in claims_here}
    pairs = Relation.objects.filter(type__in=SAME_CLAIM_RELATIONS).filter(
        Q(from_claim_id__in=claims_here) | Q(to_claim_id__in=claims_here)
    ).values_list("from_claim_id", "to_claim_id")
    for left, right in pairs:
        for mine, theirs in ((left, right), (right, left)):
            if mine in kin:
                kin[mine].add(theirs)
    return len(claims_here), {
        slug: sum(1 for claim_id in claims_here if kin[claim_id] & there) for slug, there in cited_there.items()
    }


def _with_claims(copy_link: CopyLink, total: int, shared: dict[str, int]) -> CopyLink:
    return CopyLink(copy_link.link, copy_link.other, copy_link.runs,
                    claims_shared=min(shared.get(copy_link.other.slug, 0), total), claims_here=total)


def source_copying(source, claims_here: set[int] | None = None) -> SourceCopying:
    """derived_from links out of and into one source, with the other source loaded (no text),
    and the share of this source's claims each other source states too (`claims_here`: the
    reviewed claims this source cites, when the caller has them). One query without links."""
    deferred = ("source__text", "source__original", "target__text", "target__original")
    links = list(
        SourceLink.objects.filter(kind=SourceLink.Kind.DERIVED_FROM)
        .filter(Q(source=source) | Q(target=source))
        .select_related("source", "target").defer(*deferred)
        .order_by("-shared_share", "pk")
    )
    copies = [_seen_from(link, copy=True) for link in links if link.source_id == source.pk]
    copied_by = [_seen_from(link, copy=False) for link in links if link.target_id == source.pk]
    if links:
        total, shared = claims_also_in(source, [c.other for c in copies + copied_by], claims_here)
        copies = [_with_claims(c, total, shared) for c in copies]
        copied_by = [_with_claims(c, total, shared) for c in copied_by]
    return SourceCopying(copies=copies, copied_by=copied_by)
