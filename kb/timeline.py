"""Lay out claims along time: each claim a bar from its earliest to its latest day.

Bars are packed into lanes greedily so that they never overlap; vague dates are wide bars,
open ends run to the edge of the chart and are marked as open.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from django.utils.text import Truncator

from kb.text.date_words import DateWords, date_words

WIDTH = 1000
LANE_HEIGHT = 14
LANE_GAP = 4
AXIS_HEIGHT = 28
MIN_BAR = 4
# Claim.date_sort of a claim without an earliest day: such claims cannot be drawn.
UNDATED = dt.date(9999, 12, 31)


@dataclass
class Bar:
    claim_id: int
    label: str
    wording: str  # the source's words around the date: not shown as the date
    edtf: str
    when: DateWords | None  # the date in words and as a range, from the EDTF date
    x: float
    width: float
    y: float
    open_start: bool
    open_end: bool
    contested: bool
    credibility: int | None
    # Worked out once here rather than by template filters for each of up to 400 bars.
    date_text: str = ""
    short_label: str = ""
    css: str = ""


@dataclass
class Layout:
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    height: int
    width: int
    start: dt.date | None
    end: dt.date | None


def _year_step(span_years: float) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100):
        if span_years / step <= 12:
            return step
    return 200


def layout(claims, *, width: int = WIDTH, max_lanes: int = 60) -> Layout:
    dated = [c for c in claims if c.date_earliest or c.date_latest]
    if not dated:
        return Layout([], [], AXIS_HEIGHT, width, None, None)
    known = [d for c in dated for d in (c.date_earliest, c.date_latest) if d]
    start = dt.date(min(known).year, 1, 1)
    end = dt.date(max(known).year, 12, 31)
    total = max((end - start).days, 1)

    def x_of(day: dt.date) -> float:
        return (day - start).days / total * width

    lanes_end: list[float] = []
    bars = []
    for claim in sorted(dated, key=lambda c: (c.date_earliest or start, c.date_latest or end)):
        left = x_of(claim.date_earliest or start)
        right = max(x_of(claim.date_latest or end), left + MIN_BAR)
        lane = next((i for i, edge in enumerate(lanes_end) if edge + 2 <= left), None)
        if lane is None:
            if len(lanes_end) >= max_lanes:
                lane = min(range(len(lanes_end)), key=lanes_end.__getitem__)
            else:
                lanes_end.append(0)
                lane = len(lanes_end) - 1
        lanes_end[lane] = right
        contested, open_ended = getattr(claim, "contested", False), claim.date_earliest is None or claim.date_latest is None
        when = date_words(claim.date_edtf, claim.date_earliest, claim.date_latest)
        bars.append(Bar(
            claim_id=claim.pk, label=claim.statement, wording=claim.date_wording, edtf=claim.date_edtf,
            when=when,
            x=round(left, 1), width=round(right - left, 1),
            y=AXIS_HEIGHT + lane * (LANE_HEIGHT + LANE_GAP),
            open_start=claim.date_earliest is None, open_end=claim.date_latest is None,
            contested=contested, credibility=claim.credibility,
            date_text=str(when) if when else claim.date_edtf, short_label=Truncator(claim.statement).chars(200),
            css="bar" + (" bar-contested" if contested else "") + (" bar-open" if open_ended else "")
            + f" cred-{claim.credibility or 0}",
        ))
    step = _year_step((end - start).days / 365.25)
    first_tick = start.year + (-start.year) % step
    ticks = [(round(x_of(dt.date(year, 1, 1)), 1), str(year)) for year in range(first_tick, end.year + 1, step)]
    height = AXIS_HEIGHT + len(lanes_end) * (LANE_HEIGHT + LANE_GAP) + 8
    return Layout(bars, ticks, height, width, start, end)
