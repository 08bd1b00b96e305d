"""Does a candidate state a fact the knowledge base already holds, or the same measure differently?

Pure functions over strings and EDTF dates (the shortlist comes from the database:
`kb.selectors.candidates.claim_shortlist`). Statements are compared, not surface strings:

Both require every content word of the shorter text (dates and figures masked, compared by
their first five letters) to appear in the longer: the same thing said with more words, not
another thing ("inflation" is no "unemployment", "floods" no "landslide").

- **restates**: the texts agree word for word once case, punctuation and word order are set
  aside (rapidfuzz token-set ratio at least `SAME_FACT`), with the existing claim's figures
  all present and compatible dates (or a present-tense candidate). Proposed as a new citation
  of the existing claim; corroboration only when the sources are independent.
- **same measure, other value**: the texts agree once every figure and date is masked
  (`SAME_MEASURE`), but a figure differs, or the dates cannot both hold:
  - `updates`: a different figure for a later time than the existing claim's (the candidate is
    the newer figure);
  - `stale`: a different figure for an earlier time, or a present-tense statement (dated only by
    its publication) older than the existing claim: the candidate's fact has since changed;
  - `contradicts`: the same time (overlapping date ranges, or no dates) with incompatible
    figures, or the same event on dates that cannot both hold.
  Dates are compared by their day ranges, so precision counts: "the early 1990s" (1990/1993)
  and 1992 are compatible; December 2006 and 2007 are not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from kb.extraction.dates import event_date, find_dates

SAME_FACT = 85
SAME_MEASURE = 88
MIN_WORDS = 5
MIN_LENGTH_RATIO = 0.5

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion|thousand|percent|%))?", re.I)
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "dozen": "12", "hundred": "100"}


@dataclass(frozen=True)
class Existing:
    claim_id: int
    text: str  # a statement or a citation quote of the claim
    date_edtf: str = ""


@dataclass(frozen=True)
class Match:
    claim_id: int
    relation: str  # restates | updates | contradicts | stale
    score: float
    reason: str


def _figures(text: str) -> frozenset[str]:
    """Figures in a text that are not dates: "$350 million", "1,200", "two"."""
    masked = _mask_dates(text)
    found = set()
    for m in _NUMBER.finditer(masked):
        value = m.group().lower().replace(",", "").replace(" ", "")
        value = value.replace("percent", "%")
        found.add(value)
    for word in re.findall(r"\b[a-z]+\b", masked.lower()):
        if word in _WORD_NUMBERS:
            found.add(_WORD_NUMBERS[word])
    return frozenset(found)


def _mask_dates(text: str) -> str:
    chars = list(text)
    for mention in find_dates(text):
        chars[mention.start:mention.end] = " " * (mention.end - mention.start)
    return "".join(chars)


def _masked(text: str) -> str:
    return utils.default_process(_NUMBER.sub(" ", _mask_dates(text)))


def _range(edtf: str):
    if not edtf:
        return None
    try:
        event = event_date(edtf)
    except Exception:  # a malformed date compares as no date
        return None
    return event.earliest, event.latest


def _overlap(a, b) -> bool:
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    return (a_hi is None or b_lo is None or b_lo <= a_hi) and (b_hi is None or a_lo is None or a_lo <= b_hi)


def _later(a, b) -> bool:
    """Does range a lie wholly after range b?"""
    return a[0] is not None and b[1] is not None and a[0] > b[1]


_STOP = {"the", "and", "for", "with", "from", "that", "this", "into", "about", "after", "before", "over", "under",
         "their", "its", "his", "her", "have", "has", "had", "was", "were", "been", "are", "is", "now", "some", "per",
         "year", "years", "said", "says", "according", "also", "later", "than", "more", "less", "nearly", "around"}


def _stems(text: str) -> set[str]:
    return {w[:5] for w in text.split() if len(w) > 3 and w not in _STOP and not w[:1].isdigit()}


def _contained(a: str, b: str) -> bool:
    """Every content word of the shorter text (by its first five letters) is in the longer:
    the same measure said with more words, not another measure ("floods" is no "landslide")."""
    shorter, longer = sorted((_stems(a), _stems(b)), key=len)
    return shorter <= longer


def _length_ok(a: str, b: str) -> bool:
    x, y = len(a.split()), len(b.split())
    return min(x, y) >= MIN_WORDS and min(x, y) / max(x, y) >= MIN_LENGTH_RATIO


def compare(text: str, date_edtf: str, existing: Existing, *, present_tense: bool = False) -> Match | None:
    """How a candidate (its statement and date) relates to one existing claim text, or None."""
    query, other = utils.default_process(text), utils.default_process(existing.text)
    if not _length_ok(query, other):
        return None
    score = fuzz.token_set_ratio(query, other)
    mine, theirs = _figures(text), _figures(existing.text)
    mine_date, their_date = _range(date_edtf), _range(existing.date_edtf)
    dates_clash = bool(mine_date and their_date and not _overlap(mine_date, their_date))
    same_figures = theirs <= mine  # the candidate may add figures of its own
    masked_query, masked_other = _masked(text), _masked(existing.text)
    if not _contained(masked_query, masked_other):
        return None
    if score >= SAME_FACT and same_figures and (not dates_clash or present_tense):
        return Match(existing.claim_id, "restates", float(score), "states the same fact")
    masked = fuzz.token_set_ratio(masked_query, masked_other)
    if masked < SAME_MEASURE or (same_figures and not dates_clash):
        return None
    if not same_figures and mine and theirs:
        what = f"figure {', '.join(sorted(mine))} where it has {', '.join(sorted(theirs))}"
        if mine_date and their_date and _later(mine_date, their_date):
            return Match(existing.claim_id, "updates", float(masked),
                         f"same measure, newer: {what} ({date_edtf} after {existing.date_edtf})")
        if mine_date and their_date and _later(their_date, mine_date):
            return Match(existing.claim_id, "stale", float(masked),
                         f"same measure, older: {what} ({date_edtf} before {existing.date_edtf}); "
                         f"the existing claim may supersede it")
        return Match(existing.claim_id, "contradicts", float(masked),
                     f"same measure at the same time: {what}")
    if dates_clash and same_figures:
        if present_tense and _later(their_date, mine_date):
            return Match(existing.claim_id, "stale", float(masked),
                         f"said as current on {date_edtf}, but the existing claim dates {existing.date_edtf}")
        return Match(existing.claim_id, "contradicts", float(masked),
                     f"same fact on incompatible dates: {date_edtf} and {existing.date_edtf}")
    return None


def best_match(text: str, date_edtf: str, candidates: list[Existing], *, present_tense: bool = False) -> Match | None:
    """The strongest relation to any shortlisted claim text: a restatement first, then the
    highest-scoring conflict."""
    best: Match | None = None
    for existing in candidates:
        found = compare(text, date_edtf, existing, present_tense=present_tense)
        if found is None:
            continue
        rank = (found.relation == "restates", found.score)
        if best is None or rank > (best.relation == "restates", best.score):
            best = found
    return best
