"""`{% reader_cards highlights source can %}`: the reader's popover cards, one per highlight,
written in Python.

A long source has thousands of highlights (an editor sees every candidate claim an import
proposed: 7,200 in a 570 KB report), and the included template's `{% url %}` tags, filters and
lookups made its reader page take two seconds. This writes the same HTML, byte for byte
(tests/templatetags/test_reader_cards.py compares it with the template it replaced, kept there
as the reference), every value escaped as autoescaping did. Nothing here reads the database.
"""
from __future__ import annotations

from urllib.parse import quote as url_quote

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from kb.templatetags.claim_rows import _address_parts, _claim_address, escape
from kb.text.date_words import date_words

register = template.Library()


def _with_slug(name: str, slug: str) -> str:
    before, after = _address_parts(name, get_script_prefix())
    return f"{before}{slug}{after}"


def _date(h) -> str:
    when = date_words(h.date_edtf, h.date_earliest, h.date_latest)
    if not when:
        return '<span class="muted">undated</span>'
    spread = f' <span class="muted">({escape(when.range)})</span>' if when.range else ""
    return f'<span class="date">{escape(when.words)}{spread}</span>'


def _card(h, current: bool, new_claim: str, annotate: str) -> str:
    candidate = '<span class="badge badge-candidate">unreviewed candidate</span>' if h.candidate else ""
    contested = '· <span class="flag-contested">contested</span>' if h.contested else ""
    actions = ""
    if current:  # the selection's actions, on the current version only
        where = f"?start={h.start}&amp;end={h.end}&amp;quote={escape(url_quote(h.quote, safe=''))}"
        actions = (
            (f'<a href="{new_claim}{where}" data-action="new-claim">New claim here</a>' if new_claim else "")
            + "\n      "
            + (f'<a href="{annotate}{where}" data-action="annotate">Annotate</a>' if annotate else "")
        )
    return (
        f'\n  <div class="hl-card" id="hl-card-{h.citation_id}" data-claim="{h.claim_id}">\n'
        f'    <p class="hl-card-statement" dir="auto">{escape(h.statement)}</p>\n'
        '    <p class="hl-card-facts small">\n'
        f"      {candidate}\n"
        f'      <span class="grade grade-cred-{escape(h.credibility or 0)}">{escape(h.credibility or "–")}</span> '
        f"{escape(h.credibility_label)}\n"
        f"      {contested}\n"
        f"      · {_date(h)}\n"
        "    </p>\n"
        '    <p class="hl-card-actions small">\n'
        f'      <a href="{escape(_claim_address(h.claim_id))}">Open claim {h.claim_id}</a>\n'
        f"      {actions}\n"
        "    </p>\n"
        "  </div>\n"
    )


@register.simple_tag
def reader_cards(highlights, source, can) -> SafeString:
    if not highlights:
        return SafeString("")
    new_claim = annotate = ""
    if source.is_current:
        # The two action addresses, escaped once for every card.
        new_claim = escape(_with_slug("claim-new", source.slug)) if can.get("new_claim") else ""
        annotate = escape(_with_slug("selection-annotate", source.slug)) if can.get("annotate") else ""
    return SafeString(
        '<div class="hl-cards" id="hl-cards" hidden>\n'
        + "".join(_card(h, source.is_current, new_claim, annotate) for h in highlights)
        + "\n</div>\n"
    )


@register.simple_tag
def cited_links(cited) -> SafeString:
    """Under a passage, for readers without JavaScript: a link to each claim highlighted in it
    (`{% for c in cited %}<a href="{% url 'claim-detail' c.claim_id %}">…`, written here: a
    long source has thousands)."""
    return SafeString(" · ".join(
        f'<a href="{escape(_claim_address(c.claim_id))}">claim {c.claim_id}</a>' for c in cited
    ))
