"""Input that once gave a 500 (issue 13, item 4) now gets a clear 4xx or a message, and writes nothing."""
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kb.forms.sources import SourceMetadataForm
from kb.models import Annotation, Claim, Relation
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services.common import version_token
from kb.text.dates import parse_event_date
from tests.factories import (
    ARTICLE_SLUG, SECOND_PHRASE, THIRD_PHRASE, article, client_for, make_candidate, make_claim, make_user,
)

HUGE_YEARS = ["Y99999999999", "Y-99999999999", "Y17E999", "Y1E9999999", "-0100/2004", "Y170000"]


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("value", HUGE_YEARS)
def test_dates_outside_years_1_to_9999_are_refused_with_a_code(value):
    with pytest.raises(ValidationError) as caught:
        parse_event_date(value)
    assert caught.value.code == "date_out_of_range"


@pytest.mark.parametrize("value", ["0000", "0000-05", "000X"])
def test_year_zero_is_not_a_real_date(value):
    with pytest.raises(ValidationError) as caught:
        parse_event_date(value)
    assert caught.value.code == "invalid_edtf"


@pytest.mark.parametrize("value", HUGE_YEARS)
def test_claim_edit_with_an_out_of_range_date_shows_the_error_and_saves_nothing(db, value):
    editor = make_user("editor", "eddie")
    claim = make_claim(editor, statement="Before.")
    response = client_for(editor).post(reverse("claim-edit", args=[claim.pk]), {
        "statement": "After.", "kind": "event", "date_edtf": value, "version": version_token(claim),
    })
    assert response.status_code == 200
    assert "date_out_of_range" in {e.code for e in response.context["form"].errors.as_data()["date_edtf"]}
    claim.refresh_from_db()
    assert claim.statement == "Before."


@pytest.mark.parametrize("value", HUGE_YEARS)
def test_an_import_publication_date_out_of_range_is_a_form_error(value):
    form = SourceMetadataForm(data={"published": value})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["published"]] == ["date_out_of_range"]


@pytest.mark.parametrize("url", ["/claims/", "/timeline/", "/claims/export.csv", "/claims/export.jsonld", "/entities/hamas/"])
@pytest.mark.parametrize("query", ["date_from=0000", "date_to=0000-05", "date_to=9999-12", "date_from=10000", "date_to=9999-12-31"])
def test_date_filters_at_the_ends_of_the_calendar_are_answered(curated, quiet_client, url, query):
    response = quiet_client.get(f"{url}?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "-1", "1e5"])
def test_reader_ignores_a_claim_mark_that_is_not_an_id(curated, quiet_client, value):
    response = quiet_client.get(reverse("source-detail", args=[ARTICLE_SLUG]), {"claim": value})
    assert response.status_code == 200
    assert response.context["marked_claim"] is None


@pytest.fixture
def csrf_client(db, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get(reverse("login"))
    return client


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1"])
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/claims/1/edit/", "/review/1/reject/"])
def test_a_form_posted_in_another_charset_is_a_bad_request_not_a_crash(csrf_client, charset, url):
    token = csrf_client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&username=a&password=b".encode()
    response = csrf_client.generic("POST", url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 400
    assert b"could not be read" in response.content


def test_an_unknown_charset_is_read_as_utf_8(csrf_client):
    token = csrf_client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&username=a&password=b".encode()
    response = csrf_client.generic("POST", "/accounts/login/", body,
                                   content_type="application/x-www-form-urlencoded; charset=no-such-charset")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_missing_csrf_token_gets_the_sites_own_page(csrf_client):
    response = csrf_client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert b"could not be checked" in response.content
    assert b"<style" not in response.content


@pytest.fixture
def world(db):
    editor, admin = make_user("editor", "eddie"), make_user("admin", "ada")
    claim = make_claim(editor, statement="The claim.")
    other = make_claim(editor, phrase=SECOND_PHRASE, statement="Another claim.")
    relation = claim_services.relation_add(from_claim=claim, to_claim=other, type="consistent_with", by=editor)
    annotation = annotation_services.annotation_create(by=editor, kind="context", body="A note.", claim=claim)
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Candidate.")
    return {"editor": editor, "admin": admin, "claim": claim, "relation": relation,
            "annotation": annotation, "candidate": candidate}


@pytest.mark.parametrize("reason", ["bad\x00reason", "x" * 2001])
def test_hide_reason_with_nul_or_too_long_is_refused(world, reason):
    response = client_for(world["admin"]).post(reverse("annotation-hide", args=[world["annotation"].pk]), {"reason": reason})
    assert response.status_code == 302
    annotation = Annotation.objects.get(pk=world["annotation"].pk)
    assert not annotation.is_hidden and annotation.hidden_reason == ""


@pytest.mark.parametrize("reason", ["bad\x00reason", "x" * 2001])
def test_reject_reason_with_nul_or_too_long_is_refused(world, reason):
    response = client_for(world["editor"]).post(reverse("review-reject", args=[world["candidate"].pk]), {"reason": reason}, follow=True)
    assert response.status_code == 200
    assert Claim.objects.get(pk=world["candidate"].pk).status == Claim.Status.CANDIDATE
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_relation_remove_reason_with_nul_is_refused(world):
    response = client_for(world["editor"]).post(reverse("relation-remove", args=[world["relation"].pk]), {"reason": "a\x00b"})
    assert response.status_code == 302
    assert Relation.objects.filter(pk=world["relation"].pk).exists()


def test_relation_remove_without_a_reason_still_works(world):
    client_for(world["editor"]).post(reverse("relation-remove", args=[world["relation"].pk]))
    assert not Relation.objects.filter(pk=world["relation"].pk).exists()


@pytest.mark.parametrize("params, status", [
    ({"source": "bad\x00slug"}, 400), ({"source": ARTICLE_SLUG, "from": "p-1\x00:0", "to": "p-1:5"}, 400),
    ({"source": "bad slug", "from": "p-1:0", "to": "nowhere"}, 200), ({"source": ARTICLE_SLUG, "quote": "word " * 3000}, 200),
])
def test_citation_page_with_hostile_query_is_answered(world, params, status):
    response = client_for(world["editor"], raise_request_exception=False).get(
        reverse("citation-add", args=[world["claim"].pk]), params
    )
    assert response.status_code == status
