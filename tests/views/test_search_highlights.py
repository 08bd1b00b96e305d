"""A claim search marks its words in the results (issue 11): in the statement, and in the quote
the match is in when the statement lacks them; done in Python over the page's rows, escaped."""
import re

import pytest

from kb.models import Claim
from tests.factories import ClaimFactory, CitationFactory, article

pytestmark = pytest.mark.django_db


def _row(html: str, claim_id: int) -> str:
    start = html.index(f'href="/claims/{claim_id}/"')
    start = html.rindex('<li class="claim-row">', 0, start)
    return html[start:html.index("</li>", html.index('class="claim-grade', start))]


def test_the_statements_matching_words_are_marked(client, seeds):
    html = client.get("/claims/?q=tunnels").content.decode()
    statements = re.findall(r'<a class="claim-statement"[^>]*>(.*?)</a>', html, re.S)
    assert statements and all('<mark class="hit">' in s or "match-quote" in html for s in statements)
    assert any(re.search(r'<mark class="hit">tunnels?</mark>', s, re.I) for s in statements)


def test_a_match_in_the_quote_shows_the_quote_marked(client, seeds):
    claim = ClaimFactory(statement="Iran paid for the digging.")
    CitationFactory(claim=claim, source=article(), quote="tunnels")  # a real range of the article
    row = _row(client.get("/claims/?q=tunnels&sort=updated").content.decode(), claim.pk)
    assert '<p class="match-quote small">' in row
    assert re.search(r'<mark class="hit">tunnels</mark>', row.split("match-quote")[1])
    assert "?claim=%d" % claim.pk in row.split("match-quote")[1]


def test_a_match_in_the_statement_shows_no_quote(client, seeds):
    claim = ClaimFactory(statement="Engineers dug tunnels under the border.")
    CitationFactory(claim=claim, source=article(), quote="tunnels")
    row = _row(client.get("/claims/?q=tunnels&sort=updated").content.decode(), claim.pk)
    assert '<mark class="hit">tunnels</mark>' in row and "match-quote" not in row


def test_no_script_comes_through_the_query_or_the_statement(client, seeds):
    claim = ClaimFactory(statement='<script>alert(1)</script> tunnels & <b>"quotes"</b>')
    CitationFactory(claim=claim, source=article(), quote="tunnels")
    row = _row(client.get("/claims/?q=tunnels&sort=updated").content.decode(), claim.pk)
    assert "<script>" not in row and "<b>" not in row
    assert '&lt;script&gt;alert(1)&lt;/script&gt; <mark class="hit">tunnels</mark> &amp;' in row
    html = client.get('/claims/?q=tunnels"><script>alert(2)</script>&sort=updated').content.decode()
    assert "<script>alert(2)" not in html and "alert(2)" in html  # shown, escaped


def test_no_mark_without_a_search(client, seeds):
    assert '<mark class="hit">' not in client.get("/claims/").content.decode()
    assert Claim.objects.exists()
