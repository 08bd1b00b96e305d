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
import copy
import difflib
from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 0.8
CONTEXT_CHARS = 60
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


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
        start, end = _snap_to_words(text, start, end)
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


def context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(start - CONTEXT_CHARS, 0) : start], text[end : end + CONTEXT_CHARS]


# ---- moving the marks --------------------------------------------------------------------


class _Passages:
    def __init__(self, source):
        from kb.models import Passage

        rows = list(Passage.objects.filter(source=source).order_by("start").values_list("start", "id"))
        self.starts = [row[0] for row in rows]
        self.ids = [row[1] for row in rows]

    def at(self, position: int) -> int | None:
        index = bisect.bisect_right(self.starts, position) - 1
        return self.ids[index] if index >= 0 else None


def _annotation_model():
    try:
        from kb.editing.models import Annotation
    except ImportError:
        return None
    return Annotation


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _save(model, objects, fields, *, user=None, before=None):
    """bulk_update, with history records where the model keeps history."""
    if not objects:
        return
    if hasattr(model, "history"):
        from simple_history.utils import bulk_update_with_history

        if before:
            _record_previous_state(model, before)
        bulk_update_with_history(objects, model, fields, batch_size=500, default_user=user)
    else:
        model.objects.bulk_update(objects, fields, batch_size=500)


def _record_previous_state(model, before):
    """Marks with no history yet get a record of their old state, so the old quote is kept."""
    history = model.history.model
    known = set(history.objects.filter(id__in=[obj.pk for obj in before]).values_list("id", flat=True))
    missing = [obj for obj in before if obj.pk not in known]
    for obj in missing:
        obj._change_reason = "before re-anchoring"
    if missing:
        model.history.bulk_history_create(missing, batch_size=500, update=True)


def _move(model, marks, *, new, mappings, passages, user, counts, reason_prefix):
    """Place each mark on `new`; save the moved ones and mark the rest orphaned."""
    has_prefix = _has_field(model, "prefix")
    has_anchoring = _has_field(model, "anchoring")
    has_score = _has_field(model, "anchoring_score")
    has_passage = _has_field(model, "passage")
    moved, before = [], []
    for mark in marks:
        mapping = mappings[mark.source_id]
        placement = place(
            mapping, start=mark.start, end=mark.end, quote=mark.quote,
            prefix=getattr(mark, "prefix", "") if has_prefix else "",
            suffix=getattr(mark, "suffix", "") if has_prefix else "",
        )
        counts[placement.method] += 1
        before.append(copy.copy(mark))
        if placement.placed:
            mark.source_id = new.pk
            mark.start, mark.end = placement.start, placement.end
            mark.quote = new.text[placement.start : placement.end]
            if has_prefix:
                mark.prefix, mark.suffix = context(new.text, placement.start, placement.end)
            if has_passage:
                mark.passage_id = passages.at(placement.start)
            if has_anchoring:
                mark.anchoring = "fuzzy" if placement.method == FUZZY else "exact"
            if has_score:
                mark.anchoring_score = placement.score if placement.method == FUZZY else None
            mark._change_reason = (
                f"{reason_prefix} v{new.version} by {placement.method}"
                + (f" (score {placement.score:.2f})" if placement.method == FUZZY else "")
            )
        else:
            if has_anchoring:
                mark.anchoring = "orphaned"
            if has_score:
                mark.anchoring_score = None
            mark._change_reason = f"orphaned: not found in v{new.version}"
        moved.append(mark)
    fields = ["source", "start", "end", "quote"]
    fields += ["prefix", "suffix"] if has_prefix else []
    fields += ["passage"] if has_passage else []
    fields += ["anchoring"] if has_anchoring else []
    fields += ["anchoring_score"] if has_score else []
    _save(model, moved, fields, user=user, before=before)


def reanchor_source(*, old, new, user=None) -> dict:
    """Carry every mark on `old` (and marks orphaned from earlier versions) over to `new`.

    Returns the counts by method: {"position": n, "quote": n, "fuzzy": n, "orphaned": n}.
    """
    from kb.models import Citation, NonClaim, Source

    counts = {POSITION: 0, QUOTE: 0, FUZZY: 0, ORPHANED: 0}
    passages = _Passages(new)
    earlier = Source.objects.filter(slug=old.slug).exclude(pk__in=[old.pk, new.pk])
    texts = {old.pk: old.text}
    mappings: dict[int, TextMap] = {}

    def mapping_for(source_ids):
        missing = [pk for pk in source_ids if pk not in texts]
        texts.update(Source.objects.filter(pk__in=missing).values_list("pk", "text"))
        for pk in source_ids:
            if pk not in mappings:
                mappings[pk] = TextMap(texts[pk], new.text)
        return mappings

    groups = [(Citation, Citation.objects.filter(source=old)),
              (Citation, Citation.objects.filter(source__in=earlier, anchoring="orphaned")),
              (NonClaim, NonClaim.objects.filter(source=old))]
    annotation = _annotation_model()
    if annotation is not None:
        groups.append((annotation, annotation.objects.filter(source=old, start__isnull=False)))
        if _has_field(annotation, "anchoring"):
            groups.append((annotation, annotation.objects.filter(
                source__in=earlier, start__isnull=False, anchoring="orphaned")))
    for model, queryset in groups:
        marks = list(queryset.order_by("pk"))
        if not marks:
            continue
        _move(model, marks, new=new, mappings=mapping_for({m.source_id for m in marks}),
              passages=passages, user=user, counts=counts, reason_prefix="re-anchored to")
    return counts


def orphaned_citations(source):
    """Citations of any version of this source that could not be placed on a later version."""
    from kb.models import Citation

    from kb.rendering import neutralise_bidi

    citations = list(
        Citation.objects.filter(source__slug=source.slug, anchoring="orphaned")
        .select_related("source")
        .defer("source__text", "source__original")
        .order_by("source__version", "start")
    )
    for citation in citations:
        citation.quote_shown = neutralise_bidi(citation.quote)
    return citations

