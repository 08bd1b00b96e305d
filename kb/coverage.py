"""Sentence coverage: every sentence of a source is cited by a claim or marked as not a claim."""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from functools import lru_cache

import pysbd

from kb.models import Citation, NonClaim, Passage, Source
from kb.rendering import visible_range

CONTENT_KINDS = (Passage.Kind.PARAGRAPH, Passage.Kind.QUOTE, Passage.Kind.LIST_ITEM)


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


# pysbd slows down badly on very long paragraphs; longer text is cut into chunks at a likely
# sentence end (else at a space, else anywhere) before it is segmented.
CHUNK_CHARS = 1500
_LIKELY_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")


def _chunks(text: str, start: int, end: int):
    while end - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        cut = None
        for match in _LIKELY_END.finditer(window, CHUNK_CHARS // 2):
            cut = match.end()
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
    for chunk_start, chunk_end in _chunks(text, start, end):
        for span_start, span_end in _spans(text[chunk_start:chunk_end]):
            s, e = visible_range(text, chunk_start + span_start, chunk_start + span_end)
            if e > s:
                spans.append((s, e))
    return spans


@dataclass
class SourceCoverage:
    source: Source
    sentences: int = 0
    covered: int = 0
    marked: int = 0
    structure: int = 0  # headings and boilerplate passages, marked by the structure itself
    uncovered: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return (self.covered + self.marked) / self.sentences if self.sentences else 1.0


def _overlaps(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


def source_coverage(source: Source) -> SourceCoverage:
    report = SourceCoverage(source)
    cited = list(
        Citation.objects.filter(source=source)
        .exclude(claim__status__in=["rejected"])
        .exclude(anchoring=Citation.Anchoring.ORPHANED)
        .values_list("start", "end")
    )
    marked = list(NonClaim.objects.filter(source=source).values_list("start", "end"))
    for passage in source.passages.order_by("order"):
        if passage.kind not in CONTENT_KINDS:
            report.structure += 1
            continue
        local_cited = [r for r in cited if r[0] < passage.end and passage.start < r[1]]
        local_marked = [r for r in marked if r[0] < passage.end and passage.start < r[1]]
        for start, end in sentences(source.text, passage.start, passage.end):
            report.sentences += 1
            if _overlaps(local_cited, start, end):
                report.covered += 1
            elif _overlaps(local_marked, start, end):
                report.marked += 1
            else:
                report.uncovered.append((start, end, passage.anchor))
    return report
