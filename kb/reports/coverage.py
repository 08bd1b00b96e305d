"""Sentence coverage: every sentence of a source is cited by a claim or marked as not a claim."""
from __future__ import annotations

from dataclasses import dataclass, field

from kb.models import Citation, NonClaim, Source
from kb.text.sentences import CONTENT_KINDS, sentences


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
