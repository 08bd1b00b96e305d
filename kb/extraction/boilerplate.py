"""Lines and sentence parts that are a page's furniture, not claims.

The importer marks tables of contents and link lists; what is left inside content passages
still holds headlines, datelines, bylines, captions with photo credits, publisher tags, infobox
rows, reference-list entries, navigation and transcript speaker labels. Each predicate here
looks at wording only (no knowledge of any particular site), and each has a test on a text of
its own in tests/extraction/.
"""
from __future__ import annotations

import re

from kb.extraction.dates import caps_months
from kb.text.cues import is_call_to_action

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_FULL_DATE = (rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
              rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})")
_TIME = r"(?:\s*\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4})?)"

_DIGIT = re.compile(r"\d")
# A line that is only a date (and a time): "Saturday, November 04, 2023", "11/04/2023 08:29 AM EDT".
DATELINE = re.compile(rf"^\s*(?:{_FULL_DATE}{_TIME}?|{_TIME})\s*$")
# "WASHINGTON, March 28 (KUNA) --" / "GAZA CITY, Oct. 3 (Reuters) -" at the start of a wire report,
# after an optional publisher tag in parentheses: "(MENAFN- Kuwait News Agency (KUNA))".
_PUBLISHER_TAG = r"\((?:[^()]|\([^()]*\))*\)\s*"
WIRE_LEAD = re.compile(
    rf"^(?P<tag>{_PUBLISHER_TAG})?(?P<place>[A-Z][A-Z .'-]{{2,40}}),\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?)"
    rf"\s*(?:\([^()]{{1,40}}\))?\s*(?:--|—|–|-)\s*"
)
PUBLISHER_ONLY = re.compile(rf"^{_PUBLISHER_TAG}(?=[A-Z])")
# A date opening a teaser without punctuation: "September 4, 2020 A group of …".
LEADING_DATE = re.compile(rf"^(?P<date>{_FULL_DATE})\s+(?=[A-Z])")
# A photo credit closing a caption: "… in the region. (Reuters)".
CREDIT_END = re.compile(r"[.!?]\s*\((?:[A-Z][\w.&/-]*)(?:\s+[A-Z][\w.&/-]*){0,2}\)\s*$")
CREDIT = re.compile(r"^\((?:[A-Z][\w.&/-]*)(?:\s+[A-Z][\w.&/-]*){0,2}\)\s*")
# A run-in heading glued to its first sentence: "Origins, Ideology, and Leadership An outgrowth of …".
RUN_IN_HEADING = re.compile(
    r"^(?:[A-Z][a-z]+,?\s+(?:(?:and|of|the|&)\s+)?){2,6}(?=(?:An?|The|In|On|During|After|Since)\s+[a-z])"
)
# Transcript speaker labels: "MR MILLER:", "MS. ORTAGUS:", "QUESTION:", "SECRETARY BLINKEN:".
SPEAKER_LABEL = re.compile(r"^(?P<label>(?:(?:MR|MS|MRS|DR)\.?\s+)?[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}):\s+")
ASKER_LABELS = {"QUESTION", "Q", "REPORTER", "AUDIENCE MEMBER", "PARTICIPANT", "MODERATOR", "OPERATOR"}

_BYLINE = re.compile(
    r"^(?:(?:Posted|Written|Reported|Edited|Words|Story)\s+)?[Bb]y\s*[|:]?\s*(?:[A-Z|]|\d)"  # By Jane Doe, By |Sep 4th|
    r"|^(?:Office of the|Bureau of|Press Office)\b"
)
# Words a title-case line of capitals may consist of: "MATTHEW MILLER, DEPARTMENT SPOKESPERSON".
_CAPS_LINE = re.compile(r"^[A-Z0-9][A-Z0-9 ,.&'’()/-]{3,}$")
_NAVIGATION = re.compile(
    r"\b(?:Jump to (?:navigation|search|content)|Skip to (?:main )?content|From Wiki\w+, the free\b|"
    r"Toggle (?:navigation|menu)|Main menu)\b"
)
_NAVIGATION_WORDS = ("Jump to", "Skip to", "From Wiki", "Toggle", "Main menu")
_GLUED_BREADCRUMBS = re.compile(r"(?:[a-z][A-Z][a-z]+){2,}")  # HomeNewsWorld


def is_navigation(line: str) -> bool:
    if any(word in line for word in _NAVIGATION_WORDS) and _NAVIGATION.search(line):
        return True
    return bool(_GLUED_BREADCRUMBS.search(line))


# Site furniture that is promotion or legal small print (calls to action are kb/text/cues.py's).
_PROMO = re.compile(
    r"^(?:sponsored(?: content)?|advertisement|promoted)\b|\ball rights reserved\b|\bcopyright\s*(?:©|\(c\))|©\s*\d{4}"
    r"|\b(?:cookie|privacy) policy\b|\bterms of (?:use|service)\b|^related (?:posts|articles|stories)\b",
    re.I,
)
_PROMO_WORDS = ("sponsored", "advertisement", "promoted", "all rights reserved", "copyright", "©", "cookie",
                "privacy", "terms of", "related")
# Reference-list entries, with or without a "References" heading.
_REFERENCE = re.compile(
    r"\b(?:Retrieved|Accessed)(?: on)?\s+(?:\d|[A-Z][a-z]+ \d)|\bArchived from the original\b"
    r"|\bISBN[ :]|\bdoi:\s*10\.|\bpp?\.\s*\d+|\b(?:Press release|Retrieved|Archived)\.?\s*$"
)
_REFERENCE_WORDS = ("Retrieved", "Accessed", "Archived", "ISBN", "doi:", "p.", "Press release")
_REFERENCE_START = re.compile(
    r"\s*(?:change-\s*)?[↑^]\s"
    r"|[A-Z][\w'’-]+,\s+[A-Z][\w.' -]+\s+\((?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?\d{4}\)\.\s"  # Surname, Name (3 May 2014).
    r"|\"[^\"]{5,200}\"\.\s+[A-Z]"  # "Title". Publisher.
)


def is_reference(line: str) -> bool:
    """A reference-list entry; the patterns run only when one of their words is there."""
    if _REFERENCE_START.match(line):
        return True
    return any(word in line for word in _REFERENCE_WORDS) and bool(_REFERENCE.search(line))


# An infobox row: "Founder | Abd Al Aziz Awda |", or a short "Key: value" line without a verb-led sentence.
_PIPE_ROW = re.compile(r"\|\s*$|^\s*\|")
_KEY_VALUE = re.compile(r"^\s*(?:[-*•]\s*)?(?P<key>[A-Z][\w()'’ /-]{0,30}?):\s+\S")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]*_]*(?:\[\d+\])*\s*$")


def _is_promo(line: str) -> bool:
    low = line.lower()
    return any(word in low for word in _PROMO_WORDS) and bool(_PROMO.search(line))


def is_dateline(line: str) -> bool:
    # every dateline holds a digit (a day, a year or a time)
    return bool(_DIGIT.search(line)) and bool(DATELINE.match(caps_months(line)))


def is_title_like(line: str) -> bool:
    """A single line without closing punctuation, short enough to be a headline or a label."""
    stripped = line.strip()
    if not stripped or _SENTENCE_END.search(stripped) or stripped.endswith(":"):
        return False
    return len(stripped.split()) <= 20


def line_reason(line: str, *, alone: bool) -> str | None:
    """Why a line (a whole passage when `alone`) is furniture: dateline, byline, navigation,
    promo, reference-entry, infobox, title; or None."""
    stripped = line.strip()
    if not stripped:
        return None
    if is_dateline(stripped):
        return "dateline"
    if is_navigation(stripped):
        return "navigation"
    if is_reference(stripped):
        return "reference-entry"
    if _BYLINE.match(stripped) and len(stripped.split()) <= 12:
        return "byline"
    if _PIPE_ROW.search(stripped) and not _SENTENCE_END.search(stripped.rstrip("| ")):
        return "infobox"
    if _CAPS_LINE.match(stripped) and not SPEAKER_LABEL.match(stripped + " "):
        return "byline"
    if len(stripped.split()) <= 25 and (_is_promo(stripped) or is_call_to_action(stripped)):
        return "promo"
    if alone and is_title_like(stripped):
        return "title"
    return None


def key_value(line: str) -> bool:
    """A "Key: value" line (an infobox row as text), not a speaker label in capitals."""
    match = _KEY_VALUE.match(line)
    if not match or SPEAKER_LABEL.match(line):
        return False
    key = match.group("key")
    return len(key.split()) <= 4 and not key.isupper()


def furniture_lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, reason) of each furniture line inside text[start:end]. A run of two or more
    "Key: value" lines is an infobox; a passage of one line may be a title."""
    lines = []
    at = start
    for raw in text[start:end].split("\n"):
        lines.append((at, at + len(raw), raw))
        at += len(raw) + 1
    content = [item for item in lines if item[2].strip()]
    alone = len(content) == 1
    found = []
    key_values = [key_value(raw) for _, _, raw in content]
    for index, (s, e, raw) in enumerate(content):
        reason = line_reason(raw, alone=alone)
        if reason is None and key_values[index] and (
            (index > 0 and key_values[index - 1]) or (index + 1 < len(content) and key_values[index + 1])
        ):
            reason = "infobox"
        if reason:
            found.append((s, e, reason))
    return found


def sentence_reason(sentence: str) -> str | None:
    """Why a sentence is furniture: a caption closed by a photo credit, a reference entry,
    navigation, or a line introducing what follows ("The below is attributable to X:")."""
    stripped = sentence.strip()
    if CREDIT_END.search(stripped):
        return "caption"
    if is_reference(stripped):
        return "reference-entry"
    if is_navigation(stripped):
        return "navigation"
    if is_dateline(stripped):
        return "dateline"
    if _BYLINE.match(stripped) and len(stripped.split()) <= 12 and not _SENTENCE_END.search(stripped):
        return "byline"
    return None


def leading_furniture(sentence: str) -> tuple[int, str, bool]:
    """How many characters at the start of a sentence are a publisher tag, a wire dateline,
    a photo credit or a teaser date; the date words found there ("" if none); and whether a
    photo credit opened it (then the sentence before it was a caption)."""
    cut, date, credited = 0, "", False
    for _ in range(3):
        rest = sentence[cut:]
        normal = caps_months(rest)
        wire = WIRE_LEAD.match(normal)
        if wire:
            cut, date = cut + wire.end(), wire.group("date")
            continue
        credit = CREDIT.match(rest)
        if credit and credit.end() < len(rest):
            cut, credited = cut + credit.end(), True
            continue
        tag = PUBLISHER_ONLY.match(rest)
        if tag and tag.end() < len(rest):
            cut += tag.end()
            continue
        heading = RUN_IN_HEADING.match(rest) if cut == 0 else None
        if heading:
            cut += heading.end()
            continue
        lead = LEADING_DATE.match(normal)
        if lead:
            cut, date = cut + lead.end(), lead.group("date")
            continue
        break
    return cut, date, credited
