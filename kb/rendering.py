"""Safe HTML for passages of source text, with highlights that may overlap.

The text is split at every boundary (highlight starts and ends, Markdown bold markers);
each piece is escaped and wrapped in the marks active over it. No user text reaches the
page unescaped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kb.text.bidi import neutralise_bidi
from kb.text.ranges import visible_range
from kb.text.search_terms import query_terms, term_spans, terms_found, window

# Bounded and line-local, so a hostile line full of unmatched ** cannot make it quadratic.
_BOLD = re.compile(r"\*\*(?=\S)([^\n]{1,500}?)(?<=\S)\*\*")


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    claim_id: int
    citation_id: int
    css: str = "hl"


def render_range(text: str, start: int, end: int, highlights: list[Highlight] = (),
                 notes: list[tuple[int, int, int]] = (), note_numbers: dict[int, int] | None = None) -> SafeString:
    """`notes` are annotated ranges (start, end, annotation id), underlined inside any highlight;
    a note with a number in `note_numbers` gets it as a link to its side note where its words end
    (drawn by CSS from data-n, so it adds no character to the shown text that a selection counts)."""
    raw_end = end
    start, end = visible_range(text, start, end)
    segment_text = text[start:end]
    bold = [(start + m.start(), start + m.end()) for m in _BOLD.finditer(segment_text)]
    markers = set()
    for bold_start, bold_end in bold:
        markers.update({(bold_start, bold_start + 2), (bold_end - 2, bold_end)})
    points = {start, end}
    for h in highlights:
        points.update({max(h.start, start), min(h.end, end)})
    for note_start, note_end, _ in notes:
        points.update({max(note_start, start), min(note_end, end)})
    for bold_start, bold_end in bold:
        points.update({bold_start, bold_start + 2, bold_end - 2, bold_end})
    cuts = sorted(p for p in points if start <= p <= end)
    html = []
    for left, right in zip(cuts, cuts[1:]):
        if left == right:
            continue
        piece = escape(neutralise_bidi(text[left:right]))
        if (left, right) in markers:
            html.append(f'<span class="md-marker" aria-hidden="true">{piece}</span>')
            continue
        if any(b_start + 2 <= left and right <= b_end - 2 for b_start, b_end in bold):
            piece = f"<strong>{piece}</strong>"
        for note_start, note_end, note_id in notes:
            if note_start <= left and right <= note_end:
                piece = f'<span class="an-mark" data-note="{note_id}">{piece}</span>'
                break
        active = [h for h in highlights if h.start <= left and right <= h.end]
        for h in active:
            # A mark, not a link: a drag across it selects words. The reader's script opens the
            # claim's popover on a click; without the script, each passage lists its claims.
            piece = (
                f'<mark class="{h.css}" data-claim="{h.claim_id}" data-citation="{h.citation_id}">{piece}</mark>'
                if h is active[0]
                else f'<mark class="{" ".join(["hl-overlap", *(c for c in h.css.split() if c != "hl")])}" '
                     f'data-claim="{h.claim_id}" data-citation="{h.citation_id}">{piece}</mark>'
            )
        html.append(piece)
        for note_start, note_end, note_id in notes:
            # Where its words end: here, or at this passage's last word when they end in its trailing space.
            ends_here = note_end == right or (right == end < note_end <= raw_end)
            if ends_here and (note_numbers or {}).get(note_id):
                number = note_numbers[note_id]
                html.append(f'<a class="an-ref" href="#annotation-{note_id}" data-note="{note_id}" data-n="{number}" '
                            f'aria-label="note {number}"></a>')
    return mark_safe("".join(html))


def render_hits(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> SafeString:
    """text[start:end] escaped, with each span (a search's word) in a <mark class="hit">; "…"
    where the range cuts the text short."""
    end = len(text) if end is None else end
    html, position = [], start
    for left, right in spans:
        left, right = max(left, start), min(right, end)
        if left >= right:
            continue
        html.append(escape(neutralise_bidi(text[position:left])))
        html.append(f'<mark class="hit">{escape(neutralise_bidi(text[left:right]))}</mark>')
        position = right
    html.append(escape(neutralise_bidi(text[position:end])))
    return mark_safe(("…" if start > 0 else "") + "".join(html) + ("…" if end < len(text) else ""))


def mark_search_hits(rows, query: str) -> None:
    """Mark a search's words on the rows of one results page (kb.selectors.claims.page_rows read
    with `quotes=True`), in Python over what the page already read: each row gets
    `statement_html`, and `quote_html`, the quote that holds the words its statement lacks."""
    terms = query_terms(query)
    if not terms:
        return
    for row in rows:
        statement = row.claim.statement
        row.statement_html = render_hits(statement, term_spans(statement, terms))
        missing = set(terms) - terms_found(statement, terms)
        if not missing:
            continue
        best, source = max(row.quotes, key=lambda quoted: len(terms_found(quoted[0], sorted(missing))),
                           default=("", None))
        if best and terms_found(best, sorted(missing)):
            spans = term_spans(best, terms)
            row.quote_html = render_hits(best, spans, *window(best, spans))
            row.quote_source = source
