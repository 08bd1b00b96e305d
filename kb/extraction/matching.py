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
- **a role gone stale** (`stale_role`): a candidate that names someone as the holder of a role
  ("Ismail Haniyeh, the leader of Hamas, …", "the current chief of staff, Dan Levi") when an
  existing claim says that person died or was killed: `stale`, with the death's date when known.
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


# ---------------------------------------------------------------- a role held by someone who has died

_ROLE = (r"(?:leader|head|chief|commander|president|chairman|chairwoman|chair|secretary-general|spokesman|"
         r"spokeswoman|prime minister|minister|director|emir|governor|mayor|king|supreme leader)")
_NAME = r"[A-Z][\w'’-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|abu\s+)?[A-Z][\w'’-]+){1,3}"
_HOLDS_ROLE = re.compile(
    # "Ismail Haniyeh, the leader of Hamas" / "Haniyeh, the group's current political chief"
    rf"(?P<a>{_NAME}),\s+(?:the\s+|its\s+)?(?:[\w’'-]+['’]s?\s+)?(?:current\s+|present\s+|incumbent\s+|new\s+)?"
    rf"(?:[a-z-]+\s+)?{_ROLE}\b"
    # "the current leader of Hamas, Ismail Haniyeh" / "the current commander of the militia, Karim Haddad"
    rf"|\b(?:[Tt]he\s+)?(?:current|present|incumbent)\s+(?:[a-z-]+\s+)?{_ROLE}(?:\s+of\s+[^,.;]{{1,40}}?)?,?\s+(?P<b>{_NAME})"
    # "Ismail Haniyeh is the leader of Hamas" / "… remains the group's chief"
    rf"|(?P<c>{_NAME})\s+(?:is|remains|serves as)\s+(?:the\s+|its\s+)?(?:[\w’'-]+['’]s?\s+)?(?:current\s+)?"
    rf"(?:[a-z-]+\s+)?{_ROLE}\b"
)
_DEATH_VERB = r"(?:died|has died|had died|was killed|was assassinated|was executed|passed away)"
_DEATH_NOUN = r"(?:death|killing|assassination)"


def _says_died(text: str, surname: str) -> bool:
    """Does the text say that this person died: the name before the death verb ("Haniyeh was
    killed", "Haniyeh, the group's leader, was killed") or after the death noun ("the killing
    of Ismail Haniyeh")?"""
    name = re.escape(surname)
    return bool(re.search(rf"\b{name}(?:['’]s)?(?:,[^,]{{1,60}},)?\s+(?:\w+\s+)?{_DEATH_VERB}\b"
                          rf"|\b{_DEATH_NOUN}\s+of\s+(?:[\w-]+\s+){{0,4}}?{name}\b", text, re.I))


def role_holder(text: str) -> tuple[str, str] | None:
    """(the person's name, the words naming the role) when the text names someone as holding a
    role, else None."""
    match = _HOLDS_ROLE.search(text)
    if not match:
        return None
    name = match.group("a") or match.group("b") or match.group("c")
    return name, match.group().strip()


def stale_role(text: str, date_edtf: str, candidates: list[Existing]) -> Match | None:
    """A candidate naming someone as a role's holder when an existing claim says that person
    died: the role has gone stale (or was stale when written, if the death came first)."""
    found = role_holder(text)
    if found is None:
        return None
    name, role = found
    surname = name.split()[-1]
    mine = _range(date_edtf)
    for existing in candidates:
        if not _says_died(existing.text, surname):
            continue
        when = _range(existing.date_edtf)
        if when and mine and _later(when, mine):
            reason = f"names {name} in a role (“{role}”); an existing claim says {surname} has since died ({existing.date_edtf})"
        elif when and mine and _later(mine, when):
            reason = (f"names {name} in a role (“{role}”) on {date_edtf}, but an existing claim says {surname} "
                      f"died earlier ({existing.date_edtf})")
        else:
            reason = f"names {name} in a role (“{role}”); an existing claim says {surname} died" + (
                f" ({existing.date_edtf})" if existing.date_edtf else "")
        return Match(existing.claim_id, "stale", 0.0, reason[:500])
    return None
