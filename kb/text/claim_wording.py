"""What the claim rules read in words: speakers, attributions, dates "resolved from context",
generic entity aliases. Pure functions over strings; the rules themselves are in
kb/selectors/claim_rules.py."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


def norm(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces."""
    return re.sub(r"\s+", " ", (text or "").translate(APOSTROPHES)).strip().lower()


# Speakers

_ARTICLES = re.compile(r"^(?:a|an|the)\s+")


def same_speaker(a: str, b: str) -> bool:
    """Two attributions name the same speaker: equal, or one a run of the other's words that
    holds a name ("Khamenei" in "Iran's Supreme Leader Ayatollah Ali Khamenei")."""
    if not a or not b:
        return False
    na, nb = _ARTICLES.sub("", norm(a)), _ARTICLES.sub("", norm(b))
    if na == nb:
        return True
    short, long_, original = (na, nb, a) if len(na.split()) <= len(nb.split()) else (nb, na, b)
    has_name = any(w[:1].isupper() for w in re.findall(r"[\w'’-]+", original) if w.lower() not in {"a", "an", "the"})
    return has_name and re.search(rf"(?<![\w']){re.escape(short)}(?![\w'])", long_) is not None


_STOP = {"a", "an", "the", "of", "and", "to", "in", "on", "for", "by", "at", "from", "with",
         "its", "his", "her", "their", "s"}


def _words(text: str) -> list[str]:
    return [w.strip(".") for w in re.findall(r"[\w.]+", norm(text).replace("'s ", " ")) if w.strip(".")]


def attribution_words(attribution: str) -> set[str]:
    """The words of an attribution that name its speaker (articles and numbers left out)."""
    return {w for w in _words(attribution) if w not in _STOP and not w.isdigit()}


def statement_names_attribution(statement: str, attributions: Iterable[str]) -> bool:
    """The statement names at least one of the speakers its citations attribute it to."""
    words = set(_words(statement))
    return any(attribution_words(a) & words for a in attributions)


# Dates resolved from context

CONTEXT_MARK = re.compile(r"from context", re.IGNORECASE)


def context_words(wording: str) -> list[str]:
    """The source's own words in a date wording: what lies outside parentheses, cut at "..."."""
    outside = re.sub(r"\([^)]*\)", " ", wording or "")
    return [w.strip(" .;:,\"“”") for w in re.split(r"\.\.\.|…", outside) if w.strip(" .;:,\"“”")]


_MONTHS = ("january february march april may june july august september october november december "
           "monday tuesday wednesday thursday friday saturday sunday").split()
TIME_WORDS = set(_MONTHS) | {
    "today", "tonight", "overnight", "yesterday", "tomorrow", "recent", "recently", "ago", "since", "after",
    "before", "following", "during", "later", "earlier", "now", "currently", "week", "weeks", "month",
    "months", "year", "years", "day", "days", "night", "morning", "evening", "decade", "decades", "century",
    "spring", "summer", "autumn", "winter", "previously", "past", "ongoing", "last", "next", "early", "late",
}


def says_when(words: list[str]) -> bool:
    """The quoted words hold a time expression: a number, a month or weekday, a word such as "overnight"."""
    tokens = re.findall(r"\w+", " ".join(words).lower())
    return any(t.isdigit() or t in TIME_WORDS for t in tokens)


def context_problem(wording: str, in_cited_text: Callable[[str], bool]) -> str | None:
    """Why a date wording "resolved from context" does not hold up, or None. `in_cited_text`
    tells whether some cited text holds a run of words."""
    words = context_words(wording)
    if not words or not says_when(words):
        return "does not quote the words of the text that give the date"
    missing = [w for w in words if not in_cited_text(w)]
    if missing:
        return f"quotes words that are not in the cited text: {', '.join(missing)}"
    return None


# Entity aliases

# Words that say what kind of thing is meant, not which one: an alias made only of these (and
# of other entities' names) tags every war, attack or leader it meets.
COMMON_WORDS = {
    "the", "a", "an", "of", "in", "on", "from", "to", "and", "by", "war", "wars", "attack", "attacks", "led",
    "group", "groups", "leader", "leaders", "supreme", "region", "strip", "engineer", "movement", "organization",
    "organisation", "government", "regime", "conflict", "operation", "strike", "strikes", "militants",
    "territories", "occupied", "forces", "army", "president", "minister", "state", "country", "bombing",
    "bombings", "killing", "assassination", "uprising", "talks", "meeting", "deal",
}


def _alias_words(alias: str) -> list[str]:
    return [w for w in re.split(r"[\s\-–—/]+", norm(alias).replace("'s", "")) if w]


def generic_alias(alias: str, other_names: set[str]) -> bool:
    """True when an alias is a common phrase: every word a common noun or another entity's name,
    and no number or date in it ("the war", "Hamas-led attack", "Supreme Leader")."""
    words = _alias_words(alias)
    if not words or any(any(c.isdigit() for c in w) for w in words):
        return False
    return all(w in COMMON_WORDS or w in other_names for w in words) and any(w in COMMON_WORDS for w in words)


def one_word_names(name: str, aliases: Iterable[str]) -> set[str]:
    """An entity's one-word names and aliases, lower case (what generic_alias calls other names)."""
    return {norm(s) for s in [name, *aliases] if s and len(norm(s).split()) == 1}
