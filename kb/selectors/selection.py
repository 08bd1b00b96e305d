"""Text selections over a source, as W3C position and quote selectors, checked against the text.

A selection arrives in one of three ways and always ends as (start, end) verified by
`source.text[start:end] == quote`:
- absolute offsets with the quote (a form that round-trips them);
- points inside passages, `p-12:40`, counted over the passage text as the reader shows it
  (the selection script sends these);
- a quote alone, found in the text (the form that works without JavaScript).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from kb.models import Passage, Source
from kb.text.bidi import neutralise_bidi
from kb.text.ranges import context, normalise_newlines, visible_range

MAX_QUOTE_CHARS = 5000
_POINT = re.compile(r"^(?P<anchor>[\w-]{1,40}):(?P<offset>\d{1,9})$")


@dataclass(frozen=True)
class TextSelection:
    source: Source
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    passage: Passage | None

    @property
    def anchor(self) -> str:
        return self.passage.anchor if self.passage else ""


def passage_containing(source: Source, start: int, end: int) -> Passage | None:
    return (
        Passage.objects.filter(source=source, start__lte=start, end__gte=end)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("start")
        .first()
    )


def selection_verify(*, source: Source, start, end, quote: str, prefix: str = "", suffix: str = "") -> TextSelection:
    """The selection, if the quote (and any context given) matches the text at that range."""
    text = source.text
    quote, prefix, suffix = (normalise_newlines(value or "") for value in (quote, prefix, suffix))
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValidationError("The selection has no valid range.", code="invalid_range") from None
    if not (0 <= start < end <= len(text)):
        raise ValidationError("The selection lies outside the text.", code="invalid_range")
    if end - start > MAX_QUOTE_CHARS:
        raise ValidationError(
            "Select at most %(max)d characters.", code="selection_too_long", params={"max": MAX_QUOTE_CHARS}
        )
    actual = text[start:end]
    if neutralise_bidi(actual) != neutralise_bidi(quote or ""):
        raise ValidationError(
            "The quote does not match the source text at that place.", code="quote_mismatch"
        )
    if not actual.strip():
        raise ValidationError("The selection holds only white space.", code="empty_selection")
    if (prefix and not text[:start].endswith(prefix)) or (suffix and not text[end:].startswith(suffix)):
        raise ValidationError(
            "The text around the quote does not match the source.", code="context_mismatch"
        )
    before, after = context(text, start, end)
    return TextSelection(source, start, end, actual, before, after, passage_containing(source, start, end))


def _point(source: Source, value: str, passages: dict[str, Passage]) -> int:
    match = _POINT.match(value or "")
    passage = passages.get(match["anchor"]) if match else None
    if passage is None or passage.kind in (Passage.Kind.HEADING, Passage.Kind.BOILERPLATE):
        raise ValidationError("The selection is not inside a passage of this source.", code="unknown_passage")
    first, last = visible_range(source.text, passage.start, passage.end)
    offset = int(match["offset"])
    if first + offset > last:
        raise ValidationError("The selection runs past its passage.", code="invalid_range")
    return first + offset


def selection_from_points(*, source: Source, start_point: str, end_point: str, quote: str | None = None) -> TextSelection:
    """A selection given as `anchor:offset` points, counted in code points over each passage's shown text."""
    # Only well-formed points reach the query (a NUL in an anchor is an error on PostgreSQL).
    anchors = {match["anchor"] for match in map(_POINT.match, (str(start_point or ""), str(end_point or ""))) if match}
    passages = {p.anchor: p for p in Passage.objects.filter(source=source, anchor__in=anchors)}
    start = _point(source, start_point, passages)
    end = _point(source, end_point, passages)
    actual = source.text[start:end] if start < end else ""
    return selection_verify(source=source, start=start, end=end, quote=actual if quote is None else quote)


def _pattern(quote: str) -> re.Pattern:
    # As shown in the reader: white space may differ and Markdown bold markers are hidden.
    words = [re.escape(word) for word in quote.replace("**", " ").split()]
    return re.compile(r"(?:\s|\*\*)+".join(words))


def selection_find(*, source: Source, quote: str, occurrence: int | None = None) -> TextSelection:
    """A quote typed or pasted by hand, found in the text (white space and bold markers aside)."""
    quote = normalise_newlines(quote or "")
    if not quote.strip():
        raise ValidationError("Paste the words to quote.", code="required")
    if len(quote) > 2 * MAX_QUOTE_CHARS:  # white space may shrink in the text, not double
        raise ValidationError(
            "Select at most %(max)d characters.", code="selection_too_long", params={"max": MAX_QUOTE_CHARS}
        )
    matches = list(_pattern(quote).finditer(source.text))
    if not matches:
        raise ValidationError("These words are not in the source text.", code="quote_not_found")
    if occurrence is None and len(matches) > 1:
        raise ValidationError(
            "These words occur %(count)d times; give more of the text or say which occurrence.",
            code="quote_ambiguous",
            params={"count": len(matches)},
        )
    index = (occurrence or 1) - 1
    if not 0 <= index < len(matches):
        raise ValidationError(
            "There are only %(count)d occurrences.", code="no_such_occurrence", params={"count": len(matches)}
        )
    match = matches[index]
    start, end = match.start(), match.end()
    return selection_verify(source=source, start=start, end=end, quote=source.text[start:end])
