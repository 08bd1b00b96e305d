"""`{% timeline_ticks timeline %}` and `{% timeline_bars timeline %}`: the timeline chart's year
ticks and claim bars (kb.timeline.layout), written in Python.

Up to 400 bars are drawn on the timeline, tag and entity pages; the template's loop, with a
`{% url %}` and eight lookups per bar, was most of those pages' time once their queries were
bounded. This writes the same SVG, byte for byte (tests/templatetags/test_timeline_marks.py
compares it with the loops it replaced), numbers localized and text escaped as the template
did. Nothing here reads the database.
"""
from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString

from kb.templatetags.claim_rows import _claim_address, escape

register = template.Library()


@lru_cache(maxsize=8192, typed=True)  # typed: 18 and 18.0 are written differently
def _number(value) -> str:
    # Positions recur (a lane's y, a year's x, common widths); the site has one locale (no
    # LocaleMiddleware), so a number is always written the same way.
    return escape(localize(value))


@register.simple_tag
def timeline_ticks(timeline) -> SafeString:
    bottom = _number(timeline.height)
    return SafeString("".join(
        f'<g class="tick"><line x1="{_number(x)}" x2="{_number(x)}" y1="18" y2="{bottom}"/>'
        f'<text x="{_number(x)}" y="12">{escape(label)}</text></g>'
        for x, label in timeline.ticks
    ))


@register.simple_tag
def timeline_bars(timeline) -> SafeString:
    parts = []
    for bar in timeline.bars:
        when, short = escape(bar.date_text), escape(bar.short_label)
        parts.append(
            f'<a href="{escape(_claim_address(bar.claim_id))}" aria-label="{when}: {short}" data-date="{when}" '
            f'data-label="{short}" class="{escape(bar.css)}"><rect x="{_number(bar.x)}" y="{_number(bar.y)}" '
            f'width="{_number(bar.width)}" height="12" rx="2"><title>{when}: {escape(bar.label)}</title></rect></a>'
        )
    return SafeString("".join(parts))
