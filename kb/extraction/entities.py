"""Entities a sentence names: known names and aliases, and new capitalised names.

Known names match on word boundaries; short names and acronyms (five characters or fewer,
or with capitals after the first letter: "US", "IRGC", "Hamas") match case-sensitively, so
"us" and "hamas" in running text are not taken for them. Overlapping matches keep the
longest ("Islamic Republic of Iran" over "Iran"). Capitalised multi-word names that match
no known entity ("Mousa Abu Marzouk") are proposed as new names.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SHORT_NAME = 5
_CONNECTORS = {"of", "the", "for", "and", "al", "el", "bin", "ibn", "abu", "de", "la", "van", "von", "du", "da"}
_NOT_NAMES = {
    # words capitalised at a sentence start, and titles that are not names by themselves
    "a", "an", "the", "this", "that", "these", "those", "in", "on", "at", "by", "for", "from", "to", "of",
    "after", "before", "during", "following", "since", "when", "while", "although", "though", "as", "if",
    "but", "and", "or", "yet", "so", "however", "moreover", "furthermore", "meanwhile", "then", "thus",
    "according", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "there",
    "some", "many", "most", "several", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "both", "each", "every", "all", "no", "not", "despite", "beyond", "within", "without", "between",
    "among", "under", "over", "into", "through", "about", "around", "against", "with", "today", "yesterday",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "president", "minister", "prime", "general", "commander", "leader", "supreme", "chief", "major",
    "brigadier", "colonel", "sheikh", "ayatollah", "hajj", "mr", "mrs", "ms", "dr", "sir", "king", "queen",
    "prince", "senior", "retired", "former", "deputy", "head", "secretary", "spokesman", "spokesperson",
    "even", "also", "only", "just", "still", "here", "what", "which", "who", "why", "how", "where", "do",
    "does", "did", "is", "are", "was", "were", "be", "has", "have", "had", "will", "would", "can", "could",
    "should", "must", "ultimately", "initially", "later", "earlier", "finally", "first", "second", "third",
    "enter", "understanding", "table", "contents", "conclusion", "introduction", "summary",
}
_TITLES = {
    "president", "minister", "general", "commander", "leader", "chief", "major", "brigadier", "colonel",
    "sheikh", "ayatollah", "hajj", "mr", "mrs", "ms", "dr", "sir", "king", "queen", "prince", "secretary",
    "spokesman", "spokesperson", "ambassador", "director", "governor", "senator", "judge", "lieutenant",
}


def _after_titles(words: list[str]) -> list[str]:
    """"Minister of Intelligence Ali Fallahian" -> "Ali Fallahian": a title and its "of X" go."""
    last = max((i for i, w in enumerate(words) if w.lower().strip(".") in _TITLES), default=-1)
    if last < 0:
        return words
    rest = words[last + 1 :]
    if rest and rest[0].lower() == "of":
        rest = rest[1:]
        while rest and rest[0].lower() in _CONNECTORS:
            rest = rest[1:]
        rest = rest[1:]
    return rest


@dataclass(frozen=True)
class EntityMatch:
    slug: str
    start: int
    end: int
    surface: str


_APOSTROPHES = "'’ʼ‘"


def _fold(surface: str) -> str:
    """One apostrophe for all: "Shi’a" and "Shi'a" are the same name."""
    return surface.translate({ord(c): "'" for c in _APOSTROPHES})


def _case_sensitive(name: str) -> bool:
    return len(name) <= SHORT_NAME or any(c.isupper() for c in name[1:] if c.isalpha()) and " " not in name


class EntityIndex:
    """Every known name and alias, compiled once; `find` and `new_names` run per sentence."""

    def __init__(self, entities: Iterable[tuple[str, str, list[str]]]):
        sensitive: dict[str, str] = {}
        insensitive: dict[str, str] = {}
        for slug, name, aliases in entities:
            for surface in [name, *(aliases or [])]:
                surface = (surface or "").strip()
                if len(surface) < 2:
                    continue
                surface = _fold(surface)
                if _case_sensitive(surface):
                    sensitive.setdefault(surface, slug)
                else:
                    insensitive.setdefault(surface.lower(), slug)
        self._sensitive = sensitive
        self._insensitive = insensitive
        self._sensitive_re = self._compile(sensitive, 0)
        self._insensitive_re = self._compile(insensitive, re.IGNORECASE)

    @staticmethod
    def _compile(names: dict[str, str], flags: int) -> re.Pattern | None:
        if not names:
            return None
        alternation = "|".join(re.escape(n).replace("'", f"[{_APOSTROPHES}]")
                               for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", flags)

    def find(self, text: str) -> list[EntityMatch]:
        """Known entities named in `text`, longest match first where they overlap, in text order."""
        raw: list[EntityMatch] = []
        if self._sensitive_re:
            raw += [EntityMatch(self._sensitive[_fold(m.group())], m.start(), m.end(), m.group())
                    for m in self._sensitive_re.finditer(text)]
        if self._insensitive_re:
            raw += [EntityMatch(self._insensitive[_fold(m.group()).lower()], m.start(), m.end(), m.group())
                    for m in self._insensitive_re.finditer(text)]
        raw.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[EntityMatch] = []
        for match in raw:
            if not any(k.start < match.end and match.start < k.end for k in kept):
                kept.append(match)
        return sorted(kept, key=lambda m: m.start)

    def slugs(self, text: str) -> list[str]:
        return list(dict.fromkeys(m.slug for m in self.find(text)))

    def new_names(self, text: str, known: list[EntityMatch] | None = None) -> list[str]:
        """Capitalised names of two or more words that no known entity covers."""
        known = self.find(text) if known is None else known
        masked = list(text)
        for match in known:
            masked[match.start : match.end] = "\0" * (match.end - match.start)
        names = []
        for run in _capitalised_runs("".join(masked)):
            words = _after_titles(run.split())
            while words and (words[0].lower().strip(".") in _NOT_NAMES or words[0].lower() in _CONNECTORS):
                words.pop(0)
            while words and words[-1].lower() in _CONNECTORS:
                words.pop()
            meaningful = [w for w in words if w.lower() not in _CONNECTORS and w.lower().strip(".") not in _NOT_NAMES]
            if words and all(_ADJECTIVE.fullmatch(w) for w in words):
                continue  # "Palestinian Islamist": adjectives, not a name
            if len(words) >= 2 and meaningful:
                names.append(" ".join(words))
        return list(dict.fromkeys(names))


_TOKEN = re.compile(r"[\w'’.-]+|\S")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_POSSESSIVE = re.compile(r"['’]s?$")


_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ist)")


def _capitalised_runs(text: str) -> list[str]:
    """Runs of capitalised words, joined by connectors ("Center for Islamic Propaganda")."""
    runs, current, pending = [], [], []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if not current and not token[0].isupper():
            continue  # most words: lower case, outside a run (the word below starts with the same letter)
        initials = _INITIALS.fullmatch(token)
        word = token if initials else token.rstrip(".")
        possessive = bool(_POSSESSIVE.search(word))
        if possessive:
            word = _POSSESSIVE.sub("", word)
        if word and word[0].isupper() and "\0" not in word:
            current.extend(pending)
            pending = []
            current.append(word)
            if possessive or token.endswith(".") and not initials:
                runs.append(" ".join(current))
                current = []
        elif current and word.lower() in _CONNECTORS:
            pending.append(word)
        else:
            if current:
                runs.append(" ".join(current))
            current, pending = [], []
    if current:
        runs.append(" ".join(current))
    return runs
