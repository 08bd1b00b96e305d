"""The text around a quote on a claim page reads as text, not markup; the quote stays exact."""
import re

import pytest

from kb.models import Citation, Claim
from kb.text.ranges import shown_after, shown_before

pytestmark = pytest.mark.django_db

MARKUP = ("==", "**", "[[", "]]", "'''", "{{")


def test_no_context_of_a_seed_citation_shows_markup(seeds):
    contexts = Citation.objects.values_list("prefix", "suffix")
    assert any("**" in p + s or "==" in p + s for p, s in contexts)  # the seeds have markup around quotes
    for prefix, suffix in contexts:
        shown = shown_before(prefix) + shown_after(suffix)
        assert not any(mark in shown for mark in MARKUP), (prefix, suffix)


def test_the_claim_page_shows_the_context_as_text_and_the_quote_exactly(client, seeds):
    citation = Citation.objects.filter(prefix__endswith="**", claim__status="published").select_related("claim").first()
    html = client.get(f"/claims/{citation.claim_id}/").content.decode()
    blockquotes = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", html, re.S)
    assert blockquotes and not any(mark in b for b in blockquotes for mark in ("**", "==", "[["))
    quoted = [re.search(r"<mark>(.*?)</mark>", b, re.S)[1] for b in blockquotes]
    from django.utils.html import escape
    assert escape(citation.quote) in quoted
    stored = Citation.objects.get(pk=citation.pk)
    assert stored.prefix.endswith("**") and stored.source.text[stored.start:stored.end] == stored.quote


def test_a_quote_after_a_heading_shows_no_heading_as_context(client, seeds):
    citation = Citation.objects.filter(prefix__regex=r"==\n$", claim__status="published").first()
    assert citation is not None
    html = client.get(f"/claims/{citation.claim_id}/").content.decode()
    assert "===" not in html.split('id="h-cit"')[1].split('id="h-rel"')[0].split("</ol>")[0]
