"""Character ranges over a text: trimming, snapping to words, and the context around a quote."""
from __future__ import annotations

import bisect

from kb.text.markup import plain

# Characters of text kept before and after a quote (the W3C quote selector's prefix and suffix).
CONTEXT_CHARS = 60
# Characters of that context a page shows on either side of a quote, at most.
SHOWN_CONTEXT_CHARS = 50


def visible_range(text: str, start: int, end: int) -> tuple[int, int]:
    """The range with surrounding whitespace trimmed off."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the range so it cuts no word in two, then trim whitespace."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return visible_range(text, start, end)


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix of text[start:end], CONTEXT_CHARS each at most."""
    return text[max(start - CONTEXT_CHARS, 0) : start], text[end : end + CONTEXT_CHARS]


def shown_before(prefix: str, chars: int = SHOWN_CONTEXT_CHARS) -> str:
    """The text before a quote as a page shows it (its stored `prefix` is left as it is): from
    the quote's own paragraph only, without markup (kb.text.markup), whole words, "…" first
    when the paragraph begins further back."""
    paragraph_start = "\n" in prefix or len(prefix) < CONTEXT_CHARS
    text = plain(prefix[prefix.rfind("\n") + 1:]).lstrip()
    if len(text) > chars:
        text = text[-chars:]
        text = text[text.find(" ") + 1:] if " " in text[:-1] else text
        paragraph_start = False
    if not text.strip():
        return ""
    return text if paragraph_start else "…" + text


def shown_after(suffix: str, chars: int = SHOWN_CONTEXT_CHARS) -> str:
    """The text after a quote as a page shows it: the rest of its paragraph without markup,
    whole words, "…" last when the paragraph goes on."""
    newline = suffix.find("\n")
    paragraph_end = newline >= 0 or len(suffix) < CONTEXT_CHARS
    text = plain(suffix[:newline] if newline >= 0 else suffix).rstrip()
    if len(text) > chars:
        text = text[:chars]
        text = text[:text.rfind(" ")] if " " in text[1:] else text
        paragraph_end = False
    if not text.strip():
        return ""
    return text if paragraph_end else text + "…"


def normalise_newlines(value: str) -> str:
    """Line endings as stored texts have them: browsers send every form value with CRLF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def holder(starts: list[int], position: int) -> int | None:
    """Index of the range that holds `position`, given the sorted starts of ranges laid end to
    end (passages, or nested sections: the innermost is the last starting at or before it);
    None when `position` comes before them all."""
    index = bisect.bisect_right(starts, position) - 1
    return index if index >= 0 else None
