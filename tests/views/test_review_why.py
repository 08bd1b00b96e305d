"""The review queue shows why: the quote in context, the date and the words it came from,
attribution and hedging cues, credibility with its reasons, and the matched claim side by side,
in a number of queries that does not grow with the candidates."""
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse

from kb.models import CandidateDetail, Claim
from kb.services.sources import source_import
from tests.factories import client_for, make_user

# The curated claim it updates keeps its attribution ("According to an Israeli security source, ..."):
# the candidate names a speaker of the same kind, so the two say the same thing with other figures.
TEXT = ("Funding\n\nAs of 2025, according to an unnamed Israeli security source, Iran had significantly increased its funding "
        "for Hamas, reportedly to $500 million a year.\n")


def _import(slug, text=TEXT):
    return source_import(data=text.encode(), name=f"{slug}.txt",
                         metadata={"slug": slug, "reliability": "C", "published": "2025-06-01"}).source


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_each_candidate_shows_why_and_the_claim_it_updates_side_by_side(seeds):
    client = client_for(make_user("editor", "eddie"))
    source = _import("funding-note")
    candidate = Claim.objects.get(citations__source=source, status="candidate")
    detail = CandidateDetail.objects.get(claim=candidate)
    existing = Claim.objects.get(key="art-iran-funding-350m-2023")
    assert (candidate.suggested_match_id, detail.match_relation) == (existing.pk, "updates")
    html = client.get(reverse("review-queue")).content.decode()
    block = html[html.index(f'id="candidate-{candidate.pk}"'):]
    block = block[: block.index("review-actions")]
    assert '<mark class="quote">' in block
    # The date in words, its EDTF, then the source's words (in <q>, which adds the quotation marks).
    assert "2025 <code>2025</code>, from the source's words <q dir=\"auto\">As of 2025</q> (stated in the sentence)" in block
    assert "an unnamed Israeli security source" in block and "(anonymous: no one named)" in block
    assert "<q>reportedly</q>" in block and "“<q>" not in block
    assert "hedged wording (" in block and "one step lower" in block  # credibility reasons, in words
    assert f"This candidate gives a newer figure than claim {existing.pk}" in block
    assert "500" in block and existing.statement in block


def test_review_queue_queries_stay_constant_with_matched_candidates(seeds):
    client = client_for(make_user("editor", "eddie"))
    _import("note-one")
    client.get(reverse("review-queue"))
    one = _queries(client, reverse("review-queue"))
    _import("note-two", TEXT.replace("$500", "$600") + "\nHamas and Iran signed a new arms deal in May 2025.\n")
    _import("note-three", TEXT.replace("$500", "$700"))
    assert Claim.objects.filter(status="candidate").count() >= 3
    assert _queries(client, reverse("review-queue")) == one
