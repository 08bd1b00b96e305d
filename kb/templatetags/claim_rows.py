"""`{% claim_row row %}`: one row of a claim list (the claim list, the overview, entity and tag
pages), written in Python.

The row used to be an included template; with a hundred rows its variable lookups, filters and
`{% url %}` tags were about four fifths of the claim list's time. This writes the same HTML, byte
for byte (tests/templatetags/test_claim_rows.py compares it with the template it replaced, kept
there as the reference), at a small fraction of the cost. Every value is escaped exactly as the
template's autoescaping did (django.utils.html.escape is html.escape); dates and words go through the same
functions the template's filters call. Nothing here reads the database: the row's data
comes from kb.selectors.claims.page_rows.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape as _escape

from django import template
from django.template.defaultfilters import pluralize, truncatechars
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from kb.text.date_words import date_words

register = template.Library()

_MARK = "2147483647"  # a number and a slug no real claim or source has, replaced in the reversed address


def escape(value) -> str:
    """What autoescaping writes for `value` (django.utils.html.escape is html.escape of str())."""
    return _escape(str(value))


@lru_cache(maxsize=64)
def _address_parts(name: str, prefix: str) -> tuple[str, str]:
    # `{% url %}` once per page and name rather than twice per row: the address around the argument.
    before, _, after = reverse(name, args=[_MARK]).partition(_MARK)
    return before, after


def _claim_address(pk: int) -> str:
    before, after = _address_parts("claim-detail", get_script_prefix())
    return f"{before}{pk}{after}"


def _source_address(slug: str) -> str:
    # A slug is letters, digits, - and _ (the URL's slug converter): nothing to quote.
    before, after = _address_parts("source-detail", get_script_prefix())
    return f"{before}{slug}{after}"


def _or(value, default: str) -> str:
    """`value|default:default`, escaped."""
    return escape(value) if value else escape(default)


@lru_cache(maxsize=4096)
def _dates(edtf: str, earliest, latest) -> str:
    """The claim's date in words and as a range (`claim_date`, kb.text.date_words), once per date."""
    when = date_words(edtf, earliest, latest)
    if not when:
        return '<span class="muted">undated</span>'
    spread = f' <span class="muted">({escape(when.range)})</span>' if when.range else ""
    return f'<span class="date" title="EDTF {escape(edtf)}">{escape(when.words)}{spread}</span>'


@lru_cache(maxsize=4096)
def _short_title(title: str) -> str:
    """`{{ title|truncatechars:48 }}`, once per title (the same sources recur down a list)."""
    return escape(truncatechars(title, 48))


def _sources(row) -> str:
    pk = row.claim.pk
    return ", ".join(
        f'<a href="{escape(_source_address(s.slug))}?claim={pk}" dir="auto" title="The quote in {escape(s.title)}">'
        f"{_short_title(s.title)}</a>"
        for s in row.sources
    )


@register.simple_tag
def claim_row(row) -> SafeString:
    claim = row.claim
    copies = ""
    if row.copies:
        copies = (f' <span class="copy-note" title="Sources that copy another cited source do not count as '
                  f'confirmation">+{row.copies} cop{pluralize(row.copies, "y,ies")}</span>')
    contested = '· <span class="flag-contested">contested</span>' if getattr(claim, "contested", False) else ""
    status = ""
    if claim.status != "published":
        status = f'· <span class="badge">{escape(claim.get_status_display())}</span>'
    reliability = "none cited"
    if row.reliability:
        reliability = (f"<strong>{escape(row.reliability)}</strong> {escape(row.reliability_label)} "
                       "(how far the source itself is trusted)")
    credibility = "not graded"
    if claim.credibility:
        credibility = (f"<strong>{claim.credibility}</strong> {escape(claim.credibility_label)} "
                       "(how far the claim is borne out)")
    grade = row.grade
    # A search's results carry the statement and a quote with its words marked (kb.rendering).
    statement = conditional_escape(row.statement_html) if row.statement_html else escape(claim.statement)
    quote = ""
    if row.quote_html:
        quote = (f'<p class="match-quote small">Found in the quote: “<q dir="auto">{conditional_escape(row.quote_html)}'
                 f'</q>” <a href="{escape(_source_address(row.quote_source.slug))}?claim={claim.pk}" dir="auto">'
                 f"in {_short_title(row.quote_source.title)}</a></p>")
    return SafeString(
        '<li class="claim-row">\n'
        '  <div class="claim-main">\n'
        f'    <a class="claim-statement" href="{escape(_claim_address(claim.pk))}" dir="auto">{statement}</a>\n'
        f"    {quote}\n"
        '    <div class="claim-meta small">\n'
        f"      {_dates(claim.date_edtf, claim.date_earliest, claim.date_latest)}\n"
        f"      · {_sources(row)}\n"
        f'      · <span title="Sources that do not copy one another">{row.independent} independent '
        f"source{pluralize(row.independent)}</span>{copies}\n"
        f"      {contested}\n"
        f"      {status}\n"
        "    </div>\n"
        "  </div>\n"
        "  \n"
        f'  <details class="claim-grade grade-explain"><summary aria-label="Grade {_or(grade, "none")}: what it means">'
        f'<span class="grade grade-{escape(grade[:1])}">{_or(grade, "–")}</span></summary>\n'
        '    <dl class="grade-pop small">\n'
        f"      <div><dt>Best source</dt><dd>{reliability}</dd></div>\n"
        f"      <div><dt>This claim</dt><dd>{credibility}</dd></div>\n"
        "    </dl>\n"
        "  </details>\n"
        "</li>\n"
    )


@register.simple_tag
def facet_options(options) -> SafeString:
    """The filter form's `<option>`s for (value, label, selected) triples (a hundred per facet),
    as `<option value="{{ value }}"{% if selected %} selected{% endif %}>{{ label }}</option>`."""
    return SafeString("".join(
        f'<option value="{escape(value)}"{" selected" if on else ""}>{escape(label)}</option>'
        for value, label, on in options
    ))
