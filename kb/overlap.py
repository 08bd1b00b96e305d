"""Shared text between sources: word shingles, for circular-reporting detection.

A source that repeats long word sequences of another is not independent of it. The share
is the fraction of the source's content words that fall inside a shingle shared with the
target; the evidence lists the aligned passages.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+", re.UNICODE)
CONTENT_KINDS = ("paragraph", "quote", "list_item")


@dataclass
class Overlap:
    share: float
    shared_words: int
    words: int
    evidence: list[dict]


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


MIN_RUN_WORDS = 8


def compare_texts(source, target) -> Overlap:
    """How much of `source` is shared with `target`, with every long shared run as evidence."""
    target_owner: dict[int, str] = {}
    for start, end, anchor in _content_ranges(target):
        for h in shingle_hashes(words(target.text, start, end)):
            target_owner.setdefault(h, anchor)
    total = shared = 0
    evidence = []
    for start, end, anchor in _content_ranges(source):
        tokens = words(source.text, start, end)
        if not tokens:
            continue
        covered: list[str | None] = [None] * len(tokens)
        for i, h in enumerate(shingle_hashes(tokens)):
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
