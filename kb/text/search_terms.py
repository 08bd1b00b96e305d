"""Where a search's words occur in a text, for highlighting them on a results page.

The database decides what matches (PostgreSQL's English full-text search, or every word as a
substring on SQLite: kb.selectors.claims._search); this only finds the words again in the
rows already on the page, to mark them. A word is found at the start of a word, with its
plural or -ed/-ing ending taken off first ("tunnels" marks "tunnel" and "tunnelled"), as the
English stemmer would roughly match it. Words a search ignores (stop words, `-excluded`,
`or`) are not marked.
"""
from __future__ import annotations

import re

# The commonest English stop words: PostgreSQL's search ignores them, so they mark nothing.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have he her his in is it its of on or she that the their "
    "they this to was were which who will with".split()
)
MAX_TERMS = 8  # as many words as the search itself reads
_WORD = re.compile(r"(-?)([\w$%’']+(?:[.,][\w$%’']+)*)")


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def query_terms(query: str) -> list[str]:
    """The words of a search to mark, lower-cased and stemmed, at most MAX_TERMS."""
    terms = []
    for negated, word in _WORD.findall(query or ""):
        word = word.lower().strip("’'")
        if negated or len(word) < 2 or word in STOP_WORDS:
            continue
        stem = _stem(word)
        if stem not in terms:
            terms.append(stem)
    return terms[:MAX_TERMS]


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})[\w’'-]*", re.IGNORECASE)


def term_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` that a term marks, in order, not overlapping."""
    pattern = _pattern(terms)
    return [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []


def terms_found(text: str, terms: list[str]) -> set[str]:
    """The terms that mark at least one word of `text`."""
    lowered = text.lower()
    return {t for t in terms if re.search(rf"(?<!\w){re.escape(t)}", lowered)}


def window(text: str, spans: list[tuple[int, int]], chars: int = 240) -> tuple[int, int]:
    """A range of at most about `chars` characters of `text` around its first span, at word
    boundaries: the part of a long quote worth showing under a result."""
    if len(text) <= chars:
        return 0, len(text)
    spans = spans or [(0, 0)]
    first = spans[0][0]
    start = max(0, min(first - chars // 3, len(text) - chars))
    end = min(len(text), start + chars)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space >= 0 else end
    return start, end
