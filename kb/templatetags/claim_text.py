"""Filters that show a claim's fields as a reader reads them; pure functions, no queries."""
from django import template

from kb.text.date_words import date_words
from kb.text.ranges import shown_after, shown_before

register = template.Library()


@register.filter
def claim_date(claim):
    """The claim's date in words and as a range (kb.text.date_words), from its EDTF date, never
    from the source's wording; None for an undated claim. Anything with `date_edtf`,
    `date_earliest` and `date_latest` (a claim, a timeline bar)."""
    return date_words(claim.date_edtf, claim.date_earliest, claim.date_latest)


@register.filter
def context_before(prefix: str) -> str:
    """The text before a quote, as read (no markup), from its paragraph (kb.text.ranges)."""
    return shown_before(prefix or "")


@register.filter
def context_after(suffix: str) -> str:
    """The text after a quote, as read (no markup), to the end of its paragraph at most."""
    return shown_after(suffix or "")
