"""One sentence splitter for the whole app (coverage, extraction, the copy check).

pysbd finds sentence ends; it slows down more than linearly on long paragraphs, so longer
text is first cut into chunks at an unmistakable sentence end, never inside "U.S. Department"
or "Gen. Soleimani".
"""
from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from kb.text.ranges import visible_range

# Passage kinds whose sentences may assert something (the others are headings and boilerplate).
CONTENT_KINDS = ("paragraph", "quote", "list_item")

CHUNK_CHARS = 1500
# A word of three or more lower-case letters, a full stop, a capital: a sentence end for sure.
_SAFE_END = re.compile(r"(?<=[a-z]{3}[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
# Any full stop before a capital: a likely end, used only when no sure one is in reach.
_LIKELY_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")


@lru_cache(maxsize=2)
def _segmenter(char_span: bool = False):
    return pysbd.Segmenter(language="en", clean=False, char_span=char_span)


def _spans(chunk: str) -> list[tuple[int, int]]:
    """Sentence spans in a chunk. pysbd's own char_span mode compiles a regular expression per
    sentence (most of its run time), so the sentences are located here with str.find; if pysbd
    ever returns text that is not in the chunk verbatim, its own spans are used instead."""
    spans, cursor = [], 0
    for sentence in _segmenter().segment(chunk):
        at = chunk.find(sentence, cursor)
        if at < 0 or chunk[cursor:at].strip():
            return [(s.start, s.end) for s in _segmenter(True).segment(chunk)]
        spans.append((at, at + len(sentence)))
        cursor = at + len(sentence)
    return spans


def _last_end(pattern: re.Pattern, window: str) -> int | None:
    cut = None
    for match in pattern.finditer(window, CHUNK_CHARS // 2):
        cut = match.end()
    return cut


def chunks(text: str, start: int, end: int):
    """(start, end) pieces of at most CHUNK_CHARS, cut at a sentence end where there is one."""
    while end - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        cut = _last_end(_SAFE_END, window) or _last_end(_LIKELY_END, window)
        if cut is None:
            space = window.rfind(" ", CHUNK_CHARS // 2)
            cut = space + 1 if space > 0 else CHUNK_CHARS
        yield start, start + cut
        start += cut
    if end > start:
        yield start, end


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence ranges inside text[start:end], trimmed of surrounding whitespace."""
    start, end = visible_range(text, start, end)
    spans = []
    for chunk_start, chunk_end in chunks(text, start, end):
        for span_start, span_end in _spans(text[chunk_start:chunk_end]):
            s, e = visible_range(text, chunk_start + span_start, chunk_start + span_end)
            if e > s:
                spans.append((s, e))
    return spans
