"""Event dates as EDTF strings (ISO 8601-2), with the day range they cover.

The range is what the timeline sorts and filters on; open ends ("1990/..") have no
latest day, unknown ends ("../2004") no earliest day.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

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


# Years a day can be placed in (Python's dates; PostgreSQL's and SQLite's are wider).
MIN_YEAR, MAX_YEAR = 1, 9999
# "Y17E999" asks the EDTF package to build 17 * 10**999; a large exponent takes minutes.
_EXPONENT = re.compile(r"E(\d+)")


def _out_of_range(value: str) -> ValidationError:
    return ValidationError(
        "“%(value)s” lies outside the years %(min)d–%(max)d, which is all Claimbook can place in time.",
        code="date_out_of_range", params={"value": value, "min": MIN_YEAR, "max": MAX_YEAR},
    )


def _to_date(struct, value: str) -> dt.date | None:
    """The day of an EDTF bound; None for an open or unknown end ("..", infinity)."""
    if struct is None:
        return None
    if isinstance(struct, float) and math.isinf(struct):
        return None
    year = getattr(struct, "tm_year", None)
    if year is None:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _out_of_range(value)
    try:
        return dt.date(year, struct.tm_mon, struct.tm_mday)
    except (ValueError, OverflowError):
        raise _out_of_range(value) from None


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
    return _parse_event_date((value or "").strip())


_SIMPLE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|(\d{3})X|(\d{2})XX", re.ASCII)


def date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """Earliest and latest day of a plain date, month, year, decade or century; None if the
    value is anything else (seasons, qualifiers, sets), or not a real date."""
    match = _SIMPLE.fullmatch(value)
    if not match:
        return None
    year, month, day, decade, century = match.groups()
    try:
        if decade:
            return dt.date(int(decade) * 10, 1, 1), dt.date(int(decade) * 10 + 9, 12, 31)
        if century:
            return dt.date(int(century) * 100, 1, 1), dt.date(int(century) * 100 + 99, 12, 31)
        y = int(year)
        if day:
            single = dt.date(y, int(month), int(day))
            return single, single
        if month:
            m = int(month)
            if m == 0 or 13 <= m <= 20:  # 21-24 are EDTF's seasons, left to the full parser
                raise ValueError(value)
            if not 1 <= m <= 12:
                return None
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        raise ValidationError(
            "“%(value)s” is not a real date.", code="invalid_edtf", params={"value": value}
        ) from None


def _fast_parse(value: str) -> EventDate | None:
    """Plain dates and intervals of them, read without the EDTF grammar (which is slow);
    everything else goes to the `edtf` package."""
    if "/" in value:
        left, _, right = value.partition("/")
        lower = None if left == ".." else date_bounds(left)
        upper = None if right == ".." else date_bounds(right)
        if (left != ".." and lower is None) or (right != ".." and upper is None) or left == right == "..":
            return None
        earliest, latest = (lower[0] if lower else None), (upper[1] if upper else None)
    else:
        bounds = date_bounds(value)
        if bounds is None:
            return None
        earliest, latest = bounds
    if earliest and latest and latest < earliest:
        return None  # let the full parser report it
    return EventDate(edtf=value, earliest=earliest, latest=latest, precision=_precision(value))


@lru_cache(maxsize=8192)
def _parse_event_date(value: str) -> EventDate:
    # Results are immutable and the same strings recur across a document; failures raise and
    # are not cached.
    fast = _fast_parse(value)
    if fast is not None:
        return fast
    if not value:
        raise ValidationError("An EDTF date is required.", code="required")
    exponent = _EXPONENT.search(value)
    if exponent and len(exponent[1]) > 1:
        raise _out_of_range(value)
    try:
        parsed = edtf.parse_edtf(value)
    except Exception as exc:  # the edtf parser raises its own EDTFParseException and others
        raise ValidationError(
            "“%(value)s” is not a valid EDTF date (examples: 2006-12, 1990/1993, 199X, 1990/..).",
            code="invalid_edtf",
            params={"value": value},
        ) from exc
    try:
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
    except (ValueError, OverflowError, ArithmeticError):
        raise _out_of_range(value) from None
    earliest, latest = _to_date(lower, value), _to_date(upper, value)
    if earliest and latest and latest < earliest:
        raise ValidationError(
            "“%(value)s” ends before it starts.", code="reversed_edtf", params={"value": value}
        )
    if earliest is None and latest is None:
        raise ValidationError(
            "“%(value)s” gives no day at either end, so it cannot be placed in time.",
            code="invalid_edtf", params={"value": value},
        )
    return EventDate(edtf=value, earliest=earliest, latest=latest, precision=_precision(value))
