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
from hashlib import blake2b
from dataclasses import dataclass
from functools import cached_property

from kb.text.sentences import CONTENT_KINDS

SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+", re.UNICODE)
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


def shingle_hash(shingle: str) -> int:
    """A 64-bit hash of a shingle, as a signed integer (a PostgreSQL bigint holds it). 32 bits
    (crc32, before) collide once the index holds a few hundred million rows; at 64 bits two
    different shingles share a hash about once in 10^19 pairs."""
    return int.from_bytes(blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def shingle_hashes(tokens: list[tuple[str, int]], size: int = SHINGLE_WORDS) -> list[int]:
    words_only = [t[0] for t in tokens]
    return [shingle_hash(" ".join(words_only[i : i + size])) for i in range(max(len(tokens) - size + 1, 0))]


def compare_texts(source: Doc, target: Doc) -> Overlap:
    """How much of `source` is shared with `target`, with every long shared run as evidence."""
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


def text_doc(text: str, blocks=None) -> Doc:
    """A Doc for a text not stored yet: its content blocks (kb.extraction.segment.Block), or one range."""
    if blocks is None:
        return Doc(text, [(0, len(text), "")])
    return Doc(text, [(b.start, b.end, b.anchor) for b in blocks if b.kind in CONTENT_KINDS])


def sampled_hashes(doc: Doc) -> set[int]:
    """The hashes the index keeps for a document."""
    return fingerprints(doc.text, doc.ranges)


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
