"""Event dates as EDTF strings (ISO 8601-2), with the day range they cover.

The range is what the timeline sorts and filters on; open ends ("1990/..") have no
latest day, unknown ends ("../2004") no earliest day.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import edtf
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class EventDate:
    edtf: str
    earliest: dt.date | None
    latest: dt.date | None
    precision: str

    @property
    def width_days(self) -> int | None:
        if self.earliest and self.latest:
            return (self.latest - self.earliest).days + 1
        return None


def _to_date(struct) -> dt.date | None:
    if struct is None:
        return None
    if isinstance(struct, float) and math.isinf(struct):
        return None
    try:
        return dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)
    except (AttributeError, ValueError):
        return None


def _precision(value: str) -> str:
    if "/" in value:
        return "range"
    core = value.strip("~?%")
    if re.fullmatch(r"-?\d{4}-\d{2}-\d{2}", core):
        return "day"
    if re.fullmatch(r"-?\d{4}-(2[1-9]|3\d|4[01])", core):
        return "season"
    if re.fullmatch(r"-?\d{4}-\d{2}", core):
        return "month"
    if re.fullmatch(r"-?\d{4}", core):
        return "year"
    if re.fullmatch(r"\d{3}X", core):
        return "decade"
    if re.fullmatch(r"\d{2}XX", core):
        return "century"
    return "other"


def parse_event_date(value: str) -> EventDate:
    """Parse an EDTF string; raise ValidationError(code="invalid_edtf") if it is not one."""
    value = (value or "").strip()
    if not value:
        raise ValidationError("An EDTF date is required.", code="required")
    try:
        parsed = edtf.parse_edtf(value)
    except Exception as exc:  # the edtf parser raises its own EDTFParseException and others
        raise ValidationError(
            "“%(value)s” is not a valid EDTF date (examples: 2006-12, 1990/1993, 199X, 1990/..).",
            code="invalid_edtf",
            params={"value": value},
        ) from exc
    earliest = _to_date(parsed.lower_strict())
    latest = _to_date(parsed.upper_strict())
    if earliest and latest and latest < earliest:
        raise ValidationError(
            "“%(value)s” ends before it starts.", code="reversed_edtf", params={"value": value}
        )
    return EventDate(edtf=value, earliest=earliest, latest=latest, precision=_precision(value))
