"""A suggested credibility (Admiralty 1–6) for a candidate claim, with its reasons.

The suggestion starts from the source's reliability and moves with what the sentence shows:
hedged wording, an anonymous attribution and an unsourced precise figure each lower it one
step; a statement of the same fact by an independent source raises it one step. A source
that copies another is not independent of it, so repeating it raises nothing. An editor decides.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kb.models import Credibility, Reliability

# Where a claim starts from, by the reliability of the source that makes it.
BASE = {"A": 2, "B": 2, "C": 3, "D": 4, "E": 4, "F": 6}
WORST = 5  # a suggestion never reaches "improbable" on wording alone


@dataclass
class Suggestion:
    credibility: int
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Credibility(self.credibility).label


# With the source's reliability unknown (F), the wording alone is judged, from "possibly true".
UNKNOWN_SOURCE_BASE = 3


def suggest(
    *, reliability: str, hedges: list[str] = (), attribution: str = "", anonymous: bool = False,
    has_figure: bool = False, corroborated_by: list[str] = (), repeated_by_copies: list[str] = (),
    conflict: bool = False,
) -> Suggestion:
    reliability = reliability if reliability in BASE else "F"
    grade = BASE[reliability]
    if reliability == "F":
        grade = UNKNOWN_SOURCE_BASE
        reasons = [f"source reliability unknown (F: {Reliability('F').label.lower()}, e.g. no metadata given): "
                   f"judged on its wording alone, from {grade} (possibly true)"]
    else:
        reasons = [f"source reliability {reliability} ({Reliability(reliability).label}): starts at {grade}"]
    lowered = 0
    if hedges:
        lowered += 1
        reasons.append(f"hedged wording ({', '.join(hedges[:3])}): one step lower")
    if anonymous:
        lowered += 1
        reasons.append(f"anonymous attribution ({attribution}): one step lower")
    elif attribution:
        reasons.append(f"attributed to {attribution}: checkable against that source")
    if has_figure and not attribution:
        lowered += 1
        reasons.append("a precise figure with no stated source (an amount or a count; a year is no figure): one step lower")
    elif has_figure:
        reasons.append("a precise figure, attributed: check the figure against its source")
    if conflict:
        lowered += 1
        reasons.append("another claim in the knowledge base gives a different figure or date: one step lower")
    grade = min(grade + lowered, WORST)
    if corroborated_by:
        grade = max(grade - 1, 1)
        reasons.append(f"stated also by an independent source ({_names(corroborated_by)}): one step higher")
    if repeated_by_copies:
        reasons.append(f"also in {_names(repeated_by_copies)}, which is not independent (copied text): no change")
    return Suggestion(grade, reasons)


def _names(titles: list[str]) -> str:
    titles = list(dict.fromkeys(titles))
    shown = ", ".join(titles[:3])
    return shown + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
