"""Unreviewed candidate claims are the editors' working material: nobody else sees them,
anywhere (lists, reader, timeline, entity and tag pages, exports, counts, the claim page)."""
import pytest
from django.test import Client

from kb.models import Citation, Claim, Entity
from tests.factories import client_for, make_user

STATEMENT = "Unreviewed: the extractor proposes that Iran hosted a conference in Tehran."


@pytest.fixture
def candidate(seeds):
    source = seeds["article"]
    quote = "In 1990, Iran hosted a conference in Tehran supporting Palestine"
    start = source.text.index(quote)
    claim = Claim.objects.create(statement=STATEMENT, status=Claim.Status.CANDIDATE, origin=Claim.Origin.IMPORT,
                                 date_edtf="1990", credibility=3)
    from kb.text.dates import parse_event_date

    bounds = parse_event_date("1990")
    Claim.objects.filter(pk=claim.pk).update(date_earliest=bounds.earliest, date_latest=bounds.latest)
    Citation.objects.create(claim=claim, source=source, start=start, end=start + len(quote), quote=quote)
    claim.entities.add(Entity.objects.get(slug="iran"))
    claim.tags.add("funding")
    return claim


PUBLIC_PAGES = [
    "/claims/", "/claims/?status=candidate", "/claims/?status=all", "/claims/?status=rejected",
    "/timeline/", "/timeline/?status=all", "/entities/iran/", "/entities/iran/?status=candidate",
    "/tags/funding/", "/claims/export.csv?status=all", "/claims/export.jsonld?status=candidate", "/",
]


@pytest.mark.parametrize("role", [None, "researcher"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_anonymous_visitors_and_researchers_never_see_a_candidate(candidate, role, path):
    client = client_for(make_user(role)) if role else Client()
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert STATEMENT.encode() not in body
    assert f"/claims/{candidate.pk}/".encode() not in body


@pytest.mark.parametrize("role", [None, "researcher"])
def test_a_candidates_page_is_not_found_for_anyone_but_editors(candidate, role):
    client = client_for(make_user(role)) if role else Client()
    assert client.get(f"/claims/{candidate.pk}/").status_code == 404


def test_the_reader_does_not_highlight_candidates_for_readers(candidate, seeds):
    body = Client().get(seeds["article"].get_absolute_url()).content.decode()
    assert f'data-claim="{candidate.pk}"' not in body and "hl-candidate" not in body


def test_the_overview_counts_candidates_for_editors_only(candidate):
    assert "candidates to review" not in Client().get("/").content.decode()
    assert "candidates to review" in client_for(make_user("editor")).get("/").content.decode()


def test_editors_see_candidates_marked_as_unreviewed(candidate, seeds):
    editor = client_for(make_user("editor"))
    page = editor.get(f"/claims/{candidate.pk}/").content.decode()
    assert "Unreviewed candidate" in page
    reader = editor.get(seeds["article"].get_absolute_url()).content.decode()
    assert f'data-claim="{candidate.pk}"' in reader and "hl-candidate" in reader
    listing = editor.get("/claims/?status=candidate").content.decode()
    assert STATEMENT in listing
