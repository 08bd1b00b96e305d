"""Re-anchoring: carry citations, non-claim marks and annotations to a new version of a source.

Each mark is a W3C Web Annotation anchor over the old text: a position (start, end) and a
quote with its context (prefix, suffix). On a new version it is placed, in this order:

1. by position, where the text there is unchanged (offsets mapped through a line diff);
2. by its exact quote, at the occurrence whose surrounding text best matches its context;
3. by fuzzy match near where it was (rapidfuzz), when the best match scores at least
   FUZZY_THRESHOLD: the quote is then updated to the new text's words, marked "fuzzy",
   and its score kept;
4. otherwise it is orphaned: marked so, left pointing at the old version (never deleted),
   and listed on the source page for editors.

A placed mark always satisfies `new.text[start:end] == quote` and gets the new passage.
"""
from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.text.ranges import snap_to_words

FUZZY_THRESHOLD = 0.8
# A fuzzy search of the whole text (for a mark that moved and changed) only for long quotes:
# a short one would match something unrelated.
WHOLE_TEXT_FUZZY_MIN_QUOTE = 40
WHOLE_TEXT_FUZZY_MAX_TEXT = 300_000
MAX_OCCURRENCES = 1000
# How far past the changed stretch of text a fuzzy match may reach.
FUZZY_WINDOW_PAD = 40

POSITION, QUOTE, FUZZY, ORPHANED = "position", "quote", "fuzzy", "orphaned"


@dataclass(frozen=True)
class Placement:
    method: str  # position | quote | fuzzy | orphaned
    start: int = 0
    end: int = 0
    score: float | None = None

    @property
    def placed(self) -> bool:
        return self.method != ORPHANED


class TextMap:
    """Where each stretch of an old text that is unchanged lies in the new text."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        head = _common_prefix_length(old, new)
        tail = _common_suffix_length(old[head:], new[head:])
        # (old start, new start, length) of each unchanged stretch, in order.
        blocks = [(0, 0, head)] if head else []
        old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
        old_lines, new_lines = _lines(old_mid), _lines(new_mid)
        old_at, new_at = _offsets(old_lines), _offsets(new_lines)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=True)
        for a, b, size in matcher.get_matching_blocks():
            if size:
                length = old_at[a + size] - old_at[a]
                blocks.append((head + old_at[a], head + new_at[b], length))
        if tail:
            blocks.append((len(old) - tail, len(new) - tail, tail))
        self.blocks = _merge(blocks)
        self._starts = [block[0] for block in self.blocks]
        self._new_starts = [block[1] for block in self.blocks]

    def _block(self, position: int):
        index = bisect.bisect_right(self._starts, position) - 1
        return (index, self.blocks[index]) if index >= 0 else (-1, None)

    def exact(self, position: int) -> int | None:
        """The new offset of the old character at `position`, if it lies in unchanged text."""
        _, block = self._block(position)
        if block is None or position >= block[0] + block[2]:
            return None
        return block[1] + position - block[0]

    def estimate(self, position: int) -> int:
        """Where `position` about lies in the new text, changed or not."""
        mapped = self.exact(position)
        if mapped is not None:
            return mapped
        _, block = self._block(position)
        if block is None:
            return 0
        return min(block[1] + block[2], len(self.new))

    def unchanged_in_new(self, start: int, end: int) -> bool:
        """Whether new[start:end] lies wholly in text the old version already had."""
        index = bisect.bisect_right(self._new_starts, start) - 1
        if index < 0:
            return False
        _, new_start, length = self.blocks[index]
        return end <= new_start + length

    def window(self, start: int, end: int, pad: int) -> tuple[int, int]:
        """The new range covering what [start, end) of the old text became, padded."""
        index, block = self._block(start)
        low = block[1] + min(start - block[0], block[2]) if block else 0
        index_end, block_end = self._block(max(end - 1, start))
        if block_end is not None and end <= block_end[0] + block_end[2]:
            high = block_end[1] + end - block_end[0]
        elif index_end + 1 < len(self.blocks):
            high = self.blocks[index_end + 1][1]
        else:
            high = len(self.new)
        return max(low - pad, 0), min(max(high, low) + pad, len(self.new))


def _common_prefix_length(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search on slices: fast in C, even for megabytes
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_length(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _offsets(lines: list[str]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _merge(blocks):
    merged = []
    for old_start, new_start, length in blocks:
        if merged:
            last_old, last_new, last_length = merged[-1]
            if last_old + last_length == old_start and last_new + last_length == new_start:
                merged[-1] = (last_old, last_new, last_length + length)
                continue
        merged.append((old_start, new_start, length))
    return merged


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much of the expected context surrounds text[start:end] (0 to 1)."""
    if not prefix and not suffix:
        return 0.0
    before = text[max(start - len(prefix), 0) : start]
    after = text[end : end + len(suffix)]
    matched = _common_suffix_length(prefix, before) + _common_prefix_length(suffix, after)
    return matched / (len(prefix) + len(suffix))


def _occurrences(text: str, quote: str):
    position = text.find(quote)
    found = 0
    while position != -1 and found < MAX_OCCURRENCES:
        yield position
        found += 1
        position = text.find(quote, position + 1)


def _fuzzy_in(text: str, quote: str, low: int, high: int) -> tuple[int, int, float] | None:
    """The span of text[low:high] most like `quote`, snapped to whole words, with its score."""
    region = text[low:high]
    if not region.strip():
        return None
    alignment = fuzz.partial_ratio_alignment(quote, region, score_cutoff=FUZZY_THRESHOLD * 100 * 0.9)
    if alignment is None:
        return None
    spans = [(low + alignment.dest_start, low + alignment.dest_end)]
    # The alignment is as long as the quote; words added or removed need a wider span.
    slack = max(len(quote) // 3, 10)
    wide_low = max(low + alignment.dest_start - slack, low)
    wide_high = min(low + alignment.dest_end + slack, high)
    blocks = [
        block for block in difflib.SequenceMatcher(
            None, quote, text[wide_low:wide_high], autojunk=False
        ).get_matching_blocks() if block.size >= 3
    ]
    if blocks:
        spans.append((wide_low + blocks[0].b, wide_low + blocks[-1].b + blocks[-1].size))
    best = None
    for start, end in spans:
        start, end = snap_to_words(text, start, end)
        if start >= end:
            continue
        score = fuzz.ratio(quote, text[start:end]) / 100
        if best is None or score > best[2]:
            best = (start, end, score)
    return best if best and best[2] >= FUZZY_THRESHOLD else None


def place(mapping: TextMap, *, start: int, end: int, quote: str, prefix: str = "", suffix: str = "") -> Placement:
    """Where an anchor over `mapping.old` lies in `mapping.new`, and how it was found."""
    new = mapping.new
    if not quote:
        return Placement(ORPHANED)
    if mapping.old[start:end] == quote:
        new_start, new_last = mapping.exact(start), mapping.exact(end - 1)
        if new_start is not None and new_last is not None:
            if new[new_start : new_last + 1] == quote:
                return Placement(POSITION, new_start, new_last + 1, 1.0)
    expected = mapping.estimate(start)
    occurrences = list(_occurrences(new, quote))
    if occurrences:
        best = max(
            occurrences,
            key=lambda at: (_context_score(new, at, at + len(quote), prefix, suffix), -abs(at - expected)),
        )
        return Placement(QUOTE, best, best + len(quote), 1.0)
    # Look where the old text changed. A match lying wholly in unchanged text is not the
    # mark's new place: had the mark been there, its position would have been found.
    low, high = mapping.window(start, end, pad=FUZZY_WINDOW_PAD)
    found = _fuzzy_in(new, quote, low, high)
    if found is None and len(quote) >= WHOLE_TEXT_FUZZY_MIN_QUOTE and len(new) <= WHOLE_TEXT_FUZZY_MAX_TEXT:
        found = _fuzzy_in(new, quote, 0, len(new))
    if found is None or mapping.unchanged_in_new(found[0], found[1]):
        return Placement(ORPHANED)
    return Placement(FUZZY, found[0], found[1], round(found[2], 3))
