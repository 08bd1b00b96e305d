"""Shared text between sources: word shingles, for circular-reporting detection.

A source that repeats long word sequences of another is not independent of it. The share
is the fraction of the source's content words that fall inside a shingle shared with the
target; the evidence lists the aligned passages.

Finding which stored sources to compare a new text with uses an index, not a scan. Every
passage's 5-word shingles are hashed and winnowed (Schleimer, Wilkerson and Aiken, 2003):
of every WINDOW consecutive shingle hashes the smallest is kept, and the kept hashes are
stored in `SourceShingle`. Winnowing depends only on the words, so it guarantees that two
texts sharing a run of at least WINDOW + 4 = 8 words share at least one kept hash, whatever
else the texts hold: containment, not resemblance, so a blog that copies three sentences of
a long article is found although the two texts are mostly different. One indexed `hash__in`
query returns the sources that share at least MIN_HITS kept hashes (two shared 8-word runs
give two); only those get the full comparison.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+", re.UNICODE)
CONTENT_KINDS = ("paragraph", "quote", "list_item")
MIN_RUN_WORDS = 8

WINDOW = 4  # winnowing window, in shingles: every shared run of WINDOW + 4 words is caught
MIN_HITS = 2  # kept hashes a stored source must share to be compared in full
MAX_CANDIDATES = 8  # texts compared in full per new text, most shared hashes first
# A kept hash found in more stored sources than this is a stock phrase ("according to officials
# familiar with the matter"), not evidence of copying: it is ignored when choosing candidates.
COMMON_HASH_SOURCES = 25
QUERY_CHUNK = 900  # hashes per `hash__in` query (SQLite's variable limit is far above)

# A link is recorded when the copy shares at least this many long runs, or this share of its words.
DERIVED_MIN_RUNS = 2
DERIVED_MIN_SHARE = 0.2


@dataclass
class Overlap:
    share: float
    shared_words: int
    words: int
    evidence: list[dict]


@dataclass
class Doc:
    """A text with its content ranges (start, end, passage anchor): a stored source or a preview."""

    text: str
    ranges: list[tuple[int, int, str]]
    source: object | None = None

    @cached_property
    def shingled(self) -> list[tuple[str, list, list[int]]]:
        """(anchor, words, shingle hashes) per content range, computed once per Doc."""
        out = []
        for start, end, anchor in self.ranges:
            tokens = words(self.text, start, end)
            out.append((anchor, tokens, shingle_hashes(tokens)))
        return out

    @cached_property
    def owners(self) -> dict[int, str]:
        """Each shingle hash and the first passage that holds it."""
        owners: dict[int, str] = {}
        for anchor, _tokens, hashes in self.shingled:
            for h in hashes:
                owners.setdefault(h, anchor)
        return owners


def words(text: str, start: int = 0, end: int | None = None):
    """(word, start offset) pairs, lower-cased."""
    return [(m.group().lower(), m.start()) for m in _WORD.finditer(text, start, len(text) if end is None else end)]


def shingle_hashes(tokens: list[tuple[str, int]], size: int = SHINGLE_WORDS) -> list[int]:
    return [
        zlib.crc32(" ".join(t[0] for t in tokens[i : i + size]).encode("utf-8"))
        for i in range(max(len(tokens) - size + 1, 0))
    ]


def _content_ranges(source) -> list[tuple[int, int, str]]:
    return list(
        source.passages.filter(kind__in=CONTENT_KINDS).order_by("start").values_list("start", "end", "anchor")
    )


def _content_ranges_of(source_ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Content ranges of several sources in one query."""
    from kb.models import Passage

    ranges: dict[int, list[tuple[int, int, str]]] = {}
    rows = Passage.objects.filter(source_id__in=source_ids, kind__in=CONTENT_KINDS).order_by("source_id", "start")
    for source_id, start, end, anchor in rows.values_list("source_id", "start", "end", "anchor"):
        ranges.setdefault(source_id, []).append((start, end, anchor))
    return ranges


def as_doc(obj, structure=None) -> Doc:
    """A Doc from a Source, a Doc, or a text (with the importer's structure, or as one passage)."""
    if isinstance(obj, Doc):
        return obj
    if isinstance(obj, str):
        if structure is None:
            return Doc(obj, [(0, len(obj), "")])
        from kb.extraction.segment import blocks_from_structure

        blocks = structure if isinstance(structure, list) else blocks_from_structure(structure)
        return Doc(obj, [(b.start, b.end, b.anchor) for b in blocks if b.kind in CONTENT_KINDS])
    return Doc(obj.text, _content_ranges(obj), obj)


def compare_texts(source, target) -> Overlap:
    """How much of `source` is shared with `target`, with every long shared run as evidence.

    Either may be a Source or a Doc."""
    source, target = as_doc(source), as_doc(target)
    target_owner = target.owners
    total = shared = 0
    evidence = []
    for anchor, tokens, hashes in source.shingled:
        if not tokens:
            continue
        covered: list[str | None] = [None] * len(tokens)
        for i, h in enumerate(hashes):
            owner = target_owner.get(h)
            if owner is not None:
                for j in range(i, i + SHINGLE_WORDS):
                    covered[j] = covered[j] or owner
        total += len(tokens)
        shared += sum(1 for c in covered if c)
        evidence.extend(_runs(source.text, tokens, covered, anchor))
    return Overlap(share=round(shared / total, 4) if total else 0.0, shared_words=shared, words=total,
                   evidence=evidence)


def _runs(text, tokens, covered, anchor) -> list[dict]:
    """Contiguous runs of shared words at least MIN_RUN_WORDS long, as quotable ranges."""
    runs = []
    i = 0
    while i < len(tokens):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and covered[j + 1]:
            j += 1
        if j - i + 1 >= MIN_RUN_WORDS:
            start = tokens[i][1]
            end = tokens[j][1] + len(tokens[j][0])
            runs.append({"passage": anchor, "target_passage": covered[i], "start": start, "end": end,
                         "words": j - i + 1, "quote": text[start:end]})
        i = j + 1
    return runs


# ---------------------------------------------------------------- the index


def winnow(hashes: list[int], window: int = WINDOW) -> set[int]:
    """The smallest hash of every `window` consecutive hashes (all of them for a short list)."""
    if len(hashes) <= window:
        return {min(hashes)} if hashes else set()
    return {min(hashes[i : i + window]) for i in range(len(hashes) - window + 1)}


def fingerprints(text: str, ranges) -> set[int]:
    """The winnowed shingle hashes of the content ranges (start, end, ...) of a text."""
    kept: set[int] = set()
    for start, end, *_ in ranges:
        kept |= winnow(shingle_hashes(words(text, start, end)))
    return kept


def sampled_hashes(doc: Doc) -> set[int]:
    """The hashes the index keeps for a document."""
    return fingerprints(doc.text, doc.ranges)


def index_source(source) -> int:
    """(Re)write a source's sampled shingles; return how many it has."""
    from kb.models import SourceShingle

    hashes = sampled_hashes(as_doc(source))
    # Earlier versions are never compared (only current sources are), so their rows go.
    SourceShingle.objects.filter(source__slug=source.slug).delete()
    SourceShingle.objects.bulk_create(
        (SourceShingle(source=source, hash=h) for h in sorted(hashes)), batch_size=2000
    )
    return len(hashes)


def candidate_sources(hashes: set[int], *, exclude_slug: str | None = None,
                      limit: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
    """(source id, shared sampled hashes) for current sources sharing at least MIN_HITS, most first."""
    from kb.models import SourceShingle

    from django.db.models import Count

    hits: Counter = Counter()
    ordered = sorted(hashes)
    for i in range(0, len(ordered), QUERY_CHUNK):
        chunk = ordered[i : i + QUERY_CHUNK]
        # Stock phrases are dropped inside the database (an index-only count per hash), so
        # their thousands of rows are never fetched.
        rare = list(
            SourceShingle.objects.filter(hash__in=chunk).values("hash")
            .annotate(holders=Count("source_id")).filter(holders__lte=COMMON_HASH_SOURCES)
            .values_list("hash", flat=True)
        )
        if not rare:
            continue
        rows = SourceShingle.objects.filter(hash__in=rare, source__is_current=True)
        if exclude_slug:
            rows = rows.exclude(source__slug=exclude_slug)
        hits.update(rows.values_list("source_id", flat=True))
    return [(sid, n) for sid, n in hits.most_common(limit) if n >= MIN_HITS]


# ---------------------------------------------------------------- detection


@dataclass
class Finding:
    """A stored source that shares text with the one checked."""

    other: object  # the stored Source
    hits: int  # sampled shingle hashes shared (the index's estimate)
    share: float  # share of the checked text's words that are shared with `other`
    other_share: float  # share of `other`'s words that are shared with the checked text
    runs: list[dict]  # long shared runs, in the checked text
    other_runs: list[dict]  # the same runs, in `other`
    derived: bool  # enough shared text to call one a copy of the other
    copies_other: bool  # direction: True when the checked text is the later one (the copy)

    @property
    def copy_runs(self) -> list[dict]:
        return self.runs if self.copies_other else self.other_runs

    @property
    def copy_share(self) -> float:
        return self.share if self.copies_other else self.other_share


def is_derived(share: float, runs: list[dict]) -> bool:
    """Two or more shared runs of ≥ MIN_RUN_WORDS words, or one and a large share of the words."""
    return len(runs) >= DERIVED_MIN_RUNS or (bool(runs) and share >= DERIVED_MIN_SHARE)


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
    from kb.models import Source

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


def record_overlaps(source) -> list:
    """Index a stored source and record a `derived_from` link for each source it copies or that
    copies it. Curated links are left as they are; detected ones are refreshed."""
    from kb.models import SourceLink

    index_source(source)
    links = []
    for finding in find_overlaps(source):
        if not finding.derived:
            continue
        copy, original = (source, finding.other) if finding.copies_other else (finding.other, source)
        existing = SourceLink.objects.filter(
            kind=SourceLink.Kind.DERIVED_FROM, source__in=[copy, original], target__in=[copy, original]
        ).first()
        if existing is not None and existing.method == SourceLink.Method.CURATED:
            links.append(existing)
            continue
        if existing is not None and (existing.source_id, existing.target_id) != (copy.pk, original.pk):
            existing.delete()
        link, _ = SourceLink.objects.update_or_create(
            source=copy, target=original, kind=SourceLink.Kind.DERIVED_FROM,
            defaults={"method": SourceLink.Method.DETECTED, "shared_share": finding.copy_share,
                      "evidence": finding.copy_runs,
                      "note": f"Detected: {len(finding.copy_runs)} shared runs of {MIN_RUN_WORDS}+ words, "
                              f"{finding.copy_share:.0%} of the words shared."},
        )
        links.append(link)
    return links


# ---------------------------------------------------------------- independence


def derived_pairs() -> set[tuple[int, int]]:
    """(copy, original) source ids of every derived_from link; one query."""
    from kb.models import SourceLink

    return set(SourceLink.objects.filter(kind=SourceLink.Kind.DERIVED_FROM).values_list("source_id", "target_id"))


@dataclass
class _Groups:
    """Union-find over source ids: versions of one source and copies collapse into one group."""

    parent: dict = field(default_factory=dict)

    def find(self, key):
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def _groups(pairs: set[tuple[int, int]]) -> _Groups:
    groups = _Groups()
    for copy, original in pairs:
        groups.union(("id", copy), ("id", original))
    return groups


def _independent(keys: list[tuple[int, str | None]], groups: _Groups) -> int:
    """Distinct groups among (source id, slug or None) keys; a slug joins versions of a source."""
    for source_id, slug in keys:
        if slug is not None:
            groups.union(("id", source_id), ("slug", slug))
    return len({groups.find(("id", source_id)) for source_id, _ in keys})


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
    groups = _groups(derived_pairs() if pairs is None else pairs)
    return {claim.pk: _independent(_citation_keys(claim.citations.all()), groups) for claim in claims}


def independent_source_count(claim) -> int:
    """How many independent sources state this claim: sources linked by derived_from (either
    way, transitively) count once, and so do versions of one source. Two queries."""
    from kb.models import Citation

    citations = Citation.objects.filter(claim=claim).select_related("source").only("source_id", "source__slug")
    return _independent(_citation_keys(citations), _groups(derived_pairs()))


def independent_groups(source_ids, pairs: set[tuple[int, int]]) -> list[list[int]]:
    """Source ids grouped so that sources linked by derived_from (transitively) share a group."""
    groups = _groups(pairs)
    collected: dict = {}
    for sid in sorted(set(source_ids)):
        collected.setdefault(groups.find(("id", sid)), []).append(sid)
    return list(collected.values())


def same_group(source_id: int, others: list[int], pairs: set[tuple[int, int]]) -> list[int]:
    """The ids among `others` that copy `source_id` or are copied by it (transitively)."""
    groups = _groups(pairs)
    root = groups.find(("id", source_id))
    return [other for other in others if groups.find(("id", other)) == root]


# ---------------------------------------------------------------- the source page


@dataclass
class SourceCopying:
    copies: list  # links where this source is the copy (it repeats these)
    copied_by: list  # links where this source is the original (these repeat it)


def source_copying(source) -> SourceCopying:
    """derived_from links out of and into one source, with the other source loaded (no text)."""
    from django.db.models import Q

    from kb.models import SourceLink

    deferred = ("source__text", "source__original", "target__text", "target__original")
    links = list(
        SourceLink.objects.filter(kind=SourceLink.Kind.DERIVED_FROM)
        .filter(Q(source=source) | Q(target=source))
        .select_related("source", "target").defer(*deferred)
        .order_by("-shared_share", "pk")
    )
    return SourceCopying(
        copies=[link for link in links if link.source_id == source.pk],
        copied_by=[link for link in links if link.target_id == source.pk],
    )

