"""A claim's date in words and as a range of days, from its EDTF value (kb.text.dates).

What a reader is shown as a claim's date: "7 October 2023", "October 2023" (1–31 Oct 2023),
"between 2005 and 2007", "about 1990", "the 1990s", "from 1990 on". It is made from the EDTF
date and its earliest and latest day only, never from the source's wording around the date
(`Claim.date_wording`, e.g. "to plan its 7 October 2023 surprise attack"), which is the
source's words, not a date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter", 25: "spring", 26: "summer",
           27: "autumn", 28: "winter", 29: "spring", 30: "summer", 31: "autumn", 32: "winter",
           33: "first quarter", 34: "second quarter", 35: "third quarter", 36: "fourth quarter",
           37: "first four months", 38: "second four months", 39: "third four months",
           40: "first half", 41: "second half"}

_PART = re.compile(
    r"(?P<pre>[~?%])?(?P<year>-?\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<post>[~?%])?",
    re.ASCII,
)


@dataclass(frozen=True)
class DateWords:
    words: str  # "October 2023"
    range: str  # "1–31 Oct 2023"; "" when the words name one day, or the date has no day at all

    def __str__(self) -> str:
        return f"{self.words} ({self.range})" if self.range else self.words


def _qualified(words: str, qualifier: str | None) -> str:
    """EDTF's qualifiers: ~ approximate, ? uncertain, % both."""
    if qualifier == "~":
        return f"about {words}"
    if qualifier == "?":
        return f"possibly {words}"
    if qualifier == "%":
        return f"possibly about {words}"
    return words


def _part_words(value: str) -> str | None:
    """One EDTF date (no interval) in words; None for what this does not read (sets, unspecified
    digits inside a month, exponents...)."""
    match = _PART.fullmatch(value)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if year.endswith("XX"):
        words = f"the {year[:2]}00s"
    elif year.endswith("X"):
        words = f"the {year[:3]}0s"
    else:
        number = int(year)
        words = f"{-number} BCE" if number < 0 else str(number)
        if month:
            m = int(month)
            if day and 1 <= m <= 12:
                words = f"{int(day)} {MONTHS[m - 1]} {words}"
            elif 1 <= m <= 12:
                words = f"{MONTHS[m - 1]} {words}"
            elif m in SEASONS:
                words = f"{SEASONS[m]} {words}"
            else:
                return None
    return _qualified(words, match["pre"] or match["post"])


def _short(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def _whole_years(earliest: dt.date, latest: dt.date) -> bool:
    return (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31)


def day_range(earliest: dt.date | None, latest: dt.date | None) -> str:
    """The days a date can mean, compactly: "1–31 Oct 2023", "1 Mar – 31 May 2023",
    "1990–1999" (whole years), "from 1 Jan 1990", "until 31 Dec 2004"; "" for one day or year."""
    if earliest and latest:
        if earliest == latest or (_whole_years(earliest, latest) and earliest.year == latest.year):
            return ""
        if _whole_years(earliest, latest):
            return f"{earliest.year}–{latest.year}"
        if earliest.year != latest.year:
            return f"{_short(earliest)} – {_short(latest)}"
        if earliest.month != latest.month:
            return f"{earliest.day} {MONTHS[earliest.month - 1][:3]} – {_short(latest)}"
        return f"{earliest.day}–{_short(latest)}"
    if earliest:
        return f"from {_short(earliest)}"
    if latest:
        return f"until {_short(latest)}"
    return ""


def _interval_words(left: str, right: str) -> str | None:
    if left in ("", "..") and right in ("", ".."):
        return None
    if left in ("", ".."):
        upper = _part_words(right)
        return upper and f"until {upper}"
    if right in ("", ".."):
        lower = _part_words(left)
        return lower and f"from {lower} on"
    lower, upper = _part_words(left), _part_words(right)
    if not lower or not upper:
        return None
    # Two days of one month: "7–9 October 2023".
    same_month = re.fullmatch(r"(\d+) (\w+ -?\d+)", lower), re.fullmatch(r"(\d+) (\w+ -?\d+)", upper)
    if all(same_month) and same_month[0][2] == same_month[1][2]:
        return f"{same_month[0][1]}–{same_month[1][1]} {same_month[0][2]}"
    return f"between {lower} and {upper}"


def date_words(edtf: str, earliest: dt.date | None = None, latest: dt.date | None = None) -> DateWords | None:
    """The date `edtf` (with its earliest and latest day, as stored on a claim) in words and as a
    range; None for a claim without a date. An EDTF value this cannot put in words is shown as
    it is, with its range."""
    value = (edtf or "").strip()
    if not value:
        return None
    if "/" in value:
        left, _, right = value.partition("/")
        words = _interval_words(left, right)
    else:
        words = _part_words(value)
    span = day_range(earliest, latest)
    if words is None:
        return DateWords(value, span)
    if "/" in value and not (earliest and latest):
        span = ""  # "from 1990 on" says it; "from 1 Jan 1990" would only repeat it
    if all(re.fullmatch(r"-?\d{4}(-\d{2}-\d{2})?", part) for part in value.split("/")):
        span = ""  # exact days or whole years: the words name the range already
    return DateWords(words, span)
