"""Dates in a sentence, as EDTF with the source's wording.

Explicit dates ("5 January 1996", "December 2006", "2008–2009", "the 1990s", "the early
1990s", "mid-October 2024") are read as they stand. Expressions that need a reference
("on Wednesday", "on 2 October", "last year", "the following year", "in the weeks leading
up to") are resolved from a reference date: the nearest explicit date before them in the
passage, else the section title's date, else the source's publication date when that is
narrow enough to resolve them. What cannot be resolved is left out rather than guessed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError

from kb.text.dates import EventDate, parse_event_date

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DASH = r"\s*(?:–|—|-|to|until|till)\s*"
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}
# What a four-digit number counts when it is not a year.
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s?cent|km|kilomet|met(?:er|re)s?\b|mm\b|cm\b|m\b|miles?|kg|tons?|tonnes?|"
    r"people|persons|fighters|soldiers|troops|members|militants|civilians|rockets|missiles|"
    r"men\b|women|children|dollars|euros|pounds|times|units|homes|houses|hostages|casualties|dead|"
    r"killed|wounded|injured|million|billion|thousand)",
    re.I,
)

# Open-ended qualifiers: "since 1990" starts a range, "until 2005" ends one.
_SINCE = (r"(?P<since>\b(?:[Ss]ince|[Ss]tarting (?:in|from)|[Ff]rom)\s+"
          r"|\b(?:[Ff]ollowing|[Aa]fter)\s+the\s+(?=\d{4}\s+(?:revolution|war|coup|uprising|takeover|invasion|election)))?")
_UNTIL = (r"(?P<until>\b(?:[Uu]ntil|[Tt]ill|[Uu]p to|[Uu]p until|[Bb]efore|[Pp]rior to)\s+"
          r"(?:the\s+(?=\d{4}\s+(?:revolution|war|coup|uprising|takeover|invasion|election)))?)?")


@dataclass(frozen=True)
class DateMention:
    """One date found in a sentence; start and end are offsets in the sentence."""

    start: int
    end: int
    wording: str
    edtf: str
    kind: str  # explicit | relative | event (a named event's day) | speech (the day something was said)

    @property
    def event(self) -> EventDate:
        return event_date(self.edtf)


_CAPS_MONTH = re.compile(
    r"\b(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|"
    r"MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEPT|SEP|OCT|NOV|DEC)\b"
)


def caps_months(text: str) -> str:
    """Month and weekday names in capitals ("OCTOBER 31, 2023", a dateline) in title case, so
    the date patterns read them; the length and so every offset stay the same."""
    return _CAPS_MONTH.sub(lambda m: m.group().title(), text) if _CAPS_MONTH.search(text) else text


_ANY_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_ANY_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")


@lru_cache(maxsize=4096)
def event_date(edtf: str) -> EventDate:
    """`kb.text.dates.parse_event_date`, remembered: the EDTF grammar is slow and dates repeat."""
    return parse_event_date(edtf)


@dataclass(frozen=True)
class Reference:
    """A date to resolve relative expressions against, at the precision it is known."""

    year: int
    month: int | None = None
    day: int | None = None
    wording: str = ""
    now: bool = False  # the time of writing (publication date or a post's dateline): "today", "currently"

    @property
    def edtf(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    @classmethod
    def from_event(cls, event: EventDate, wording: str = "", *, max_days: int = 31) -> "Reference | None":
        """The latest day of a date known to within `max_days`, at the precision it has."""
        if not event.earliest or not event.latest or (event.latest - event.earliest).days > max_days:
            if event.earliest and event.latest and event.earliest.year == event.latest.year:
                return cls(event.latest.year, wording=wording)
            return None
        last = event.latest
        if event.precision == "day" or event.earliest == event.latest:
            return cls(last.year, last.month, last.day, wording)
        if event.earliest.month == last.month:
            return cls(last.year, last.month, wording=wording)
        return cls(last.year, wording=wording)

    def as_date(self) -> dt.date:
        return dt.date(self.year, self.month or 12, self.day or _month_end(self.year, self.month or 12))


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _edtf_day(year: int, month: int, day: int) -> str | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _part_of_month(year: int, month: int, part: str) -> str:
    """early / mid / late in a month as a day range."""
    last = _month_end(year, month)
    first, final = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}[part]
    return f"{year:04d}-{month:02d}-{first:02d}/{year:04d}-{month:02d}-{final:02d}"


def _part_of_decade(decade: int, part: str) -> str:
    first, final = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
    return f"{decade + first}/{decade + final}"


def _part_of_year(year: int, part: str) -> str:
    first, final = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
    return f"{year:04d}-{first:02d}/{year:04d}-{final:02d}"


def _open(edtf: str, since: str | None, until: str | None) -> str:
    """Turn a date into an open range for "since X" / "until X"."""
    if since:
        return edtf.split("/")[0] + "/.."
    if until:
        return "../" + edtf.split("/")[-1]
    return edtf


def _part(word: str | None) -> str | None:
    if not word:
        return None
    word = word.lower().rstrip("-").strip()
    return {"early": "early", "beginning of": "early", "mid": "mid", "middle of": "mid", "late": "late",
            "end of": "late"}.get(word)


_PART = r"(?:(?P<part>[Ee]arly|[Mm]id|[Ll]ate|[Bb]eginning of|[Mm]iddle of|[Ee]nd of)[\s-]+(?:the\s+)?)?"
_THE = r"(?:the\s+)?"

# Explicit patterns, most specific first. Each yields an EDTF string or None (not a date).
_EXPLICIT = [
    # 5–7 January 1996
    ("day_range", re.compile(
        rf"\b(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})\b")),
    ("day_range", re.compile(
        rf"\b(?P<month>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY}),?\s+(?P<year>{_YEAR})\b")),
    # 5 January 1996 / January 5, 1996 / the 7th of October 2023
    ("day", re.compile(rf"{_SINCE}{_UNTIL}\b(?:the\s+)?(?P<day>{_DAY})(?:\s+of)?\s+(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})\b")),
    ("day", re.compile(rf"{_SINCE}{_UNTIL}\b(?P<month>{_MONTH})\s+(?P<day>{_DAY}),?\s+(?P<year>{_YEAR})\b")),
    # January–March 2020
    ("month_range", re.compile(rf"\b(?P<m1>{_MONTH}){_DASH}(?P<m2>{_MONTH})\s+(?P<year>{_YEAR})\b")),
    # (mid-)October 2024, December 2006
    ("month", re.compile(rf"{_SINCE}{_UNTIL}\b{_PART}(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})\b")),
    # 1980s–1990s
    ("decade_range", re.compile(rf"{_SINCE}{_THE}\b(?P<y1>1[5-9]\d0|20\d0)['’]?s{_DASH}(?P<y2>1[5-9]\d0|20\d0)['’]?s\b")),
    # the early 1990s, the 1990s
    ("decade", re.compile(rf"{_SINCE}{_UNTIL}{_THE}\b{_PART}(?P<decade>1[5-9]\d0|20\d0)['’]?s\b")),
    # the 20th century
    ("century", re.compile(rf"{_SINCE}{_THE}\b{_PART}(?:the\s+)?(?P<century>1[5-9]|2[01])(?:st|nd|rd|th)\s+century\b", re.I)),
    # 2008–2009, 2008-09, from 2005 to 2007, between 2005 and 2007
    ("year_range", re.compile(
        rf"(?:\b[Bb]etween\s+(?P<b1>{_YEAR})\s+and\s+(?P<b2>{_YEAR})\b)|"
        rf"(?<![\d$£€.,])\b(?P<y1>{_YEAR})(?:\s*(?:–|—|-|/)\s*|\s+(?:to|until|till|through)\s+)(?P<y2>{_YEAR}|\d\d)\b(?![\d,.]\d)")),
    # early 2024, 1996
    ("year", re.compile(rf"{_SINCE}{_UNTIL}(?:\b[Aa]s of\s+)?\b{_PART}(?<![\d$£€.,])(?P<year>{_YEAR})\b(?![\d,.]\d)")),
]

# A day and month followed by one of these names an event ("the October 7 attacks"), whose year
# the sentence does not give; it is not the date of what the sentence describes.
_EVENT_NAME = re.compile(
    r"(?:st|nd|rd|th)?\s+(?:attacks?|bombings?|massacres?|war|uprising|revolution|elections?|ceasefire|"
    r"agreement|accords?|protests?|riots?|coup|offensive|raid|invasion|strikes?)\b",
    re.I,
)
# Words that place a sentence after the last date mentioned ("Iran then committed …").
ANAPHORIC = re.compile(
    r"\b(?:then|subsequently|afterwards|afterward|thereafter|later|at the time|at that time|by then|"
    r"in the meantime|meanwhile)\b",
    re.I,
)

_RELATIVE = [
    # on 2 October, October 7th (the year comes from the reference)
    ("day_month", re.compile(rf"\b(?P<day>{_DAY})(?:\s+of)?\s+(?P<month>{_MONTH})\b")),
    ("day_month", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>{_DAY})\b(?!\s*(?:km|%|people|million))")),
    # in August, mid-October (a month name needs a preposition or a part-of-month word)
    ("month_only", re.compile(
        rf"(?:\b(?:in|since|until|by|during|from|of|through)\s+(?:early\s+|late\s+|mid-?\s*)?|"
        rf"\b(?:[Ee]arly|[Ll]ate|[Mm]id)[\s-]+)(?P<month>{_MONTH})\b")),
    ("weekday", re.compile(r"\b(?:[Oo]n|last|this|next|that)\s+(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    # "announced sanctions Friday", "Friday’s sanctions" (not "Friday, 3 May 2024": that is explicit)
    ("weekday", re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?\b(?!,?\s+\d|,?\s+[A-Z][a-z]+\s+\d)")),
    ("week_word", re.compile(r"\b(?P<word>last week|this week|earlier this week|the previous week|the week before)\b", re.I)),
    ("now", re.compile(r"\b(?P<word>currently|right now|at present|presently|at this point|at the moment|as of now|now)\b", re.I)),
    ("day_word", re.compile(
        r"\b(?P<word>yesterday|today|tomorrow|overnight|the day before|the next day|the following day|the previous day)\b",
        re.I)),
    ("year_word", re.compile(
        r"\b(?P<word>last year|this year|that year|the same year|the previous year|the year before|"
        r"the preceding year|next year|the following year|the next year|the year after|a year later|a year earlier)\b",
        re.I)),
    ("month_word", re.compile(
        r"\b(?P<word>last month|this month|that month|the same month|the previous month|next month|"
        r"the following month|the next month|a month later|a month earlier)\b", re.I)),
    ("years_offset", re.compile(
        r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\s+(?P<dir>later|earlier|before|after|ago)\b",
        re.I)),
    ("lead_up", re.compile(
        r"\b(?:in\s+)?the\s+(?P<unit>days|weeks|months)\s+(?:leading up to|before|preceding|prior to)\b", re.I)),
]


# What each pattern needs in the lower-cased text, checked before running it: most sentences
# hold none of these words, and a substring test is far cheaper than the pattern.
_NEEDS = {
    "week_word": ("week",),
    "now": ("now", "current", "present", "at this point", "at the moment"),
    "day_word": ("day", "tomorrow", "overnight"),
    "year_word": ("year",),
    "month_word": ("month",),
    "years_offset": ("year",),
    "lead_up": ("days", "weeks", "months"),
    "decade_range": ("0s", "0's", "0’s"),
    "decade": ("0s", "0's", "0’s"),
    "century": ("century",),
}
_NEEDS_MONTH = {"day_range", "day", "month_range", "month", "day_month", "month_only"}
_ANY_YEAR = re.compile(_YEAR)


def _may_match(kind: str, low: str, has_month: bool, has_year: bool = True) -> bool:
    if kind in _NEEDS_MONTH:
        return has_month
    if kind in ("year_range", "year"):
        return has_year
    needs = _NEEDS.get(kind)
    return needs is None or any(word in low for word in needs)


# A date that dates an account given later ("in a 2019 interview", "in an interview in May 2021",
# "in his 2015 memoir"): when something was told, not when what was told happened. (A press
# statement's date is left alone: statements mostly report the day's events.)
_SPEECH_NOUN = r"(?:interview|speech|testimony|op-ed|podcast|memoir|hearing|lecture)s?"
_SPEECH_WORD = re.compile(r"(?i)interview|speech|testimony|op-ed|podcast|memoir|hearing|lecture")
_SPEECH_OPENS = re.compile(r"\b(?:in|during|at|for)\s+(?:a|an|the|his|her|their|its)\s+$", re.I)
_SPEECH_NOUN_AFTER = re.compile(rf"\s*(?:-\s*)?{_SPEECH_NOUN}\b", re.I)
_SPEECH_NOUN_BEFORE = re.compile(rf"\b{_SPEECH_NOUN}\s+(?:(?:given|published|recorded|held|made)\s+)?(?:in|on|of|dated|from)\s+$",
                                 re.I)


def _dates_speech(text: str, mention: "DateMention") -> bool:
    """Does the mention date an interview, a speech or a statement rather than an event?"""
    before = text[max(0, mention.start - 60) : mention.start]
    if _SPEECH_NOUN_BEFORE.search(before):
        return True
    return bool(_SPEECH_OPENS.search(before) and _SPEECH_NOUN_AFTER.match(text, mention.end))


def _year2(first: int, second: str) -> int:
    if len(second) == 4:
        return int(second)
    return first // 100 * 100 + int(second)


def _explicit_edtf(kind: str, m: re.Match) -> str | None:
    g = m.groupdict()
    if kind == "day_range":
        month, year = MONTHS[g["month"].lower().rstrip(".")], int(g["year"])
        first = _edtf_day(year, month, int(re.sub(r"\D", "", g["d1"])))
        last = _edtf_day(year, month, int(re.sub(r"\D", "", g["d2"])))
        return f"{first}/{last}" if first and last and first <= last else None
    if kind == "day":
        value = _edtf_day(int(g["year"]), MONTHS[g["month"].lower().rstrip(".")], int(re.sub(r"\D", "", g["day"])))
        return _open(value, g.get("since"), g.get("until")) if value else None
    if kind == "month_range":
        first, last = MONTHS[g["m1"].lower().rstrip(".")], MONTHS[g["m2"].lower().rstrip(".")]
        year = int(g["year"])
        return f"{year}-{first:02d}/{year}-{last:02d}" if first < last else None
    if kind == "month":
        year, month = int(g["year"]), MONTHS[g["month"].lower().rstrip(".")]
        part = _part(g.get("part"))
        value = _part_of_month(year, month, part) if part else f"{year:04d}-{month:02d}"
        return _open(value, g.get("since"), g.get("until"))
    if kind == "decade_range":
        first, last = int(g["y1"]), int(g["y2"])
        if last < first:
            return None
        return _open(f"{first // 10}X/{last // 10}X", g.get("since"), None)
    if kind == "decade":
        decade, part = int(g["decade"]), _part(g.get("part"))
        value = _part_of_decade(decade, part) if part else f"{decade // 10}X"
        return _open(value, g.get("since"), g.get("until"))
    if kind == "century":
        number = int(g["century"]) - 1
        part = _part(g.get("part"))
        if part:
            first, last = {"early": (0, 32), "mid": (33, 66), "late": (67, 99)}[part]
            value = f"{number * 100 + first}/{number * 100 + last}"
        else:
            value = f"{number:02d}XX"
        return _open(value, g.get("since"), None)
    if kind == "year_range":
        if g.get("b1"):
            first, last = int(g["b1"]), int(g["b2"])
        else:
            first, last = int(g["y1"]), _year2(int(g["y1"]), g["y2"])
        return f"{first}/{last}" if first < last else None
    if kind == "year":
        year, part = int(g["year"]), _part(g.get("part"))
        value = _part_of_year(year, part) if part else str(year)
        return _open(value, g.get("since"), g.get("until"))
    return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _relative_edtf(kind: str, m: re.Match, ref: Reference | None) -> str | None:
    if ref is None:
        return None
    g = m.groupdict()
    if kind in ("day_month", "event"):
        value = _edtf_day(ref.year, MONTHS[g["month"].lower().rstrip(".")], int(re.sub(r"\D", "", g["day"])))
        if value and ref.now and value > ref.as_date().isoformat():  # "since 7 October" in January: last year's
            value = _edtf_day(ref.year - 1, int(value[5:7]), int(value[8:10]))
        return value
    if kind == "month_only":
        month = MONTHS[g["month"].lower().rstrip(".")]
        part = next((p for p in ("early", "mid", "late") if p in m.group().lower()), None)
        return _part_of_month(ref.year, month, part) if part else f"{ref.year:04d}-{month:02d}"
    if kind == "now":
        return ref.edtf if ref.now else None
    if kind == "week_word":
        if ref.day is None:
            return None
        anchor = ref.as_date()
        if g["word"].lower() == "this week":
            return f"{(anchor - dt.timedelta(days=6)).isoformat()}/{anchor.isoformat()}"
        monday = anchor - dt.timedelta(days=anchor.weekday() + 7)
        return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    if kind == "weekday":
        if ref.day is None:
            return f"{ref.year:04d}-{ref.month:02d}" if ref.month else None
        anchor = ref.as_date()
        target = _WEEKDAYS[g["weekday"].lower()]
        back = (anchor.weekday() - target) % 7
        return (anchor - dt.timedelta(days=back)).isoformat()
    if kind == "day_word":
        if ref.day is None:  # known to the month only: the day stays unknown
            return f"{ref.year:04d}-{ref.month:02d}" if ref.month else None
        delta = {"yesterday": -1, "the day before": -1, "the previous day": -1, "today": 0, "overnight": 0,
                 "tomorrow": 1, "the next day": 1, "the following day": 1}[g["word"].lower()]
        return (ref.as_date() + dt.timedelta(days=delta)).isoformat()
    if kind == "year_word":
        word = g["word"].lower()
        delta = -1 if word in {"last year", "the previous year", "the year before", "the preceding year",
                               "a year earlier"} else 0 if word in {"this year", "that year", "the same year"} else 1
        return str(ref.year + delta)
    if kind == "month_word":
        if ref.month is None:
            return None
        word = g["word"].lower()
        delta = -1 if word in {"last month", "the previous month", "a month earlier"} else (
            0 if word in {"this month", "that month", "the same month"} else 1)
        year, month = _shift_month(ref.year, ref.month, delta)
        return f"{year:04d}-{month:02d}"
    if kind == "years_offset":
        raw = g["n"].lower()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if not count:
            return None
        sign = 1 if g["dir"].lower() in {"later", "after"} else -1
        return str(ref.year + sign * count)
    if kind == "lead_up":
        end = ref.as_date() if ref.day else None
        if end is None:
            return None
        days = {"days": 7, "weeks": 42, "months": 183}[g["unit"].lower()]
        return f"{(end - dt.timedelta(days=days)).isoformat()}/{end.isoformat()}"
    return None


def _valid(edtf: str | None) -> bool:
    if not edtf:
        return False
    try:
        event_date(edtf)
    except ValidationError:
        return False
    return True


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def find_dates(text: str, reference: Reference | None = None, now: Reference | None = None) -> list[DateMention]:
    """Dates in `text`, in order. Relative ones use the latest explicit date before them in
    `text`, else `reference`; each explicit date becomes the reference for what follows."""
    text = caps_months(text)
    if now is None and reference is not None and reference.now:
        now = reference
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    # Cheap checks first: every explicit pattern needs a digit, and the day, month and weekday
    # patterns a month or weekday name; most sentences skip most patterns.
    has_digit = _ANY_DIGIT.search(text) is not None
    has_month = _ANY_MONTH.search(text) is not None
    has_weekday = _ANY_WEEKDAY.search(text) is not None
    has_year = has_digit and _ANY_YEAR.search(text) is not None
    low = text.lower()
    for kind, pattern in _EXPLICIT if has_digit else ():
        if not _may_match(kind, low, has_month, has_year):
            continue
        for m in pattern.finditer(text):
            if _overlaps(taken, m.start(), m.end()):
                continue
            if kind == "year" and _NOT_YEAR_AFTER.match(text, m.end()):
                continue
            if kind == "year" and m.start() > 0 and text[m.start() - 1] in "$£€#":
                continue
            edtf = _explicit_edtf(kind, m)
            if _valid(edtf):
                found.append(DateMention(m.start(), m.end(), m.group().strip(), edtf, "explicit"))
                taken.append((m.start(), m.end()))
    relative: list[tuple[str, re.Match]] = []
    for kind, pattern in _RELATIVE:
        if (kind == "weekday" and not has_weekday) or not _may_match(kind, low, has_month):
            continue
        for m in pattern.finditer(text):
            if kind == "day_month" and _EVENT_NAME.match(text, m.end()):
                # "the October 7 attack" names an event and its date: the sentence's date only
                # when nothing else dates it
                relative.append(("event", m))
                taken.append((m.start(), m.end()))
                continue
            if not _overlaps(taken, m.start(), m.end()):
                relative.append((kind, m))
                taken.append((m.start(), m.end()))
    for kind, m in sorted(relative, key=lambda item: item[1].start()):
        before = [d for d in found if d.kind == "explicit" and d.end <= m.start()]
        ref = reference
        if before:
            ref = Reference.from_event(before[-1].event, before[-1].wording, max_days=366) or reference
        edtf = _relative_edtf(kind, m, now if kind == "now" else ref)
        if edtf and kind in ("day_month", "month_only") and (
            m.group().lower().startswith("since") or re.search(r"\b[Ss]ince\s+(?:the\s+)?$", text[: m.start()])
        ):
            edtf = edtf.split("/")[0] + "/.."
        if _valid(edtf):
            wording = m.group().strip()
            if kind == "event":
                wording = text[m.start():_EVENT_NAME.match(text, m.end()).end()].strip()
            found.append(DateMention(m.start(), m.end(), wording, edtf, "event" if kind == "event" else "relative"))
    if now is not None:  # "since 2007" in a 2024 report: 2007 up to the report
        closed = []
        for mention in found:
            if mention.edtf.endswith("/..") and mention.edtf[:-3] <= now.edtf:
                mention = DateMention(mention.start, mention.end, mention.wording,
                                      f"{mention.edtf[:-3]}/{now.edtf}", mention.kind)
            closed.append(mention)
        found = closed
    if any(m.kind != "event" for m in found):
        found = [m for m in found if m.kind != "event"]
    if found and (_SPEECH_WORD.search(text)):
        speech = [m for m in found if _dates_speech(text, m)]
        if speech and len(speech) < len(found):  # the event has a date of its own: the interview's goes
            found = [m for m in found if m not in speech]
        elif speech:  # only the interview is dated: the caller reads what was said as by then
            found = [DateMention(m.start, m.end, m.wording, m.edtf, "speech") for m in found]
    return sorted(found, key=lambda d: d.start)


def envelope(mentions: list[DateMention]) -> tuple[str, str] | None:
    """One EDTF covering every mention (the earliest start to the latest end), and the wording."""
    if not mentions:
        return None
    if len(mentions) == 1:
        return mentions[0].edtf, mentions[0].wording
    events = [(m, m.event) for m in mentions]
    open_start = any(e.earliest is None for _, e in events)
    open_end = any(e.latest is None and "/.." in m.edtf for m, e in events)
    first = min((item for item in events if item[1].earliest), key=lambda item: item[1].earliest, default=None)
    last = max((item for item in events if item[1].latest), key=lambda item: item[1].latest, default=None)
    start = ".." if open_start or first is None else first[0].edtf.split("/")[0]
    end = ".." if open_end or last is None else last[0].edtf.split("/")[-1]
    wording = "; ".join(dict.fromkeys(m.wording for m in mentions))
    edtf = start if start == end else f"{start}/{end}"
    if not _valid(edtf):
        return mentions[0].edtf, mentions[0].wording
    return edtf, wording[:300]


def latest_reference(mentions: list[DateMention], fallback: Reference | None) -> Reference | None:
    """The reference date for the text that follows these mentions."""
    for mention in reversed(mentions):
        if mention.kind in ("explicit", "relative", "speech") and "/.." not in mention.edtf and "../" not in mention.edtf:
            ref = Reference.from_event(mention.event, mention.wording, max_days=366)
            if ref is not None:
                return ref
    return fallback
