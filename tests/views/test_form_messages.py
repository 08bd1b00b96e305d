"""Form messages (issue 11, minor items): a refused javascript: address says why; a day that
does not exist gets one wording everywhere; a form shows all its errors at once."""
import pytest
from django.urls import reverse
from django.utils.html import escape

from kb.forms.editing import AnnotationForm, ReferenceForm
from kb.forms.claim_filters import ClaimFilterForm
from kb.forms.sources import SourceMetadataForm
from kb.services import claims as claim_services
from kb.services import common as edits
from tests.factories import client_for, make_claim

NOT_REAL = "“2023-02-30” is not a real date."


def test_javascript_reference_says_why(editor, db_snapshot):
    claim = make_claim(editor)
    before = db_snapshot()
    response = client_for(editor).post(reverse("claim-annotate", args=[claim.pk]), {
        "kind": "context", "body": "See this.", "ref_url": "javascript:alert(1)", "ref_title": "x",
    })
    html = response.content.decode()
    assert response.status_code == 200 and escape("“javascript:” addresses are refused") in html
    assert "can run code" in html and "Enter a valid URL" not in html
    assert db_snapshot() == before


@pytest.mark.parametrize("form, field", [
    (lambda v: ReferenceForm({"url": "https://x.org", "title": "t", "accessed": v}), "accessed"),
    (lambda v: AnnotationForm({"kind": "context", "body": "b", "ref_accessed": v}), "ref_accessed"),
    (lambda v: SourceMetadataForm({"retrieved": v}), "retrieved"),
    (lambda v: SourceMetadataForm({"published": v}), "published"),
    (lambda v: ClaimFilterForm({"date_from": v}), "date_from"),
])
def test_a_day_that_does_not_exist_has_one_wording(form, field):
    bound = form("2023-02-30")
    assert not bound.is_valid()
    assert bound.errors[field] == [NOT_REAL]


def test_a_month_that_does_not_exist_has_the_same_wording(editor):
    claim = make_claim(editor)
    try:
        claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim),
                                    fields=claim_services.ClaimFields(statement="x", date_edtf="2023-13"))
    except Exception as exc:  # noqa: BLE001 - the message is what is tested
        assert "“2023-13” is not a real date." in " ".join(exc.messages)
    else:
        raise AssertionError("2023-13 was accepted")


def test_claim_form_shows_every_error_at_once(editor, db_snapshot):
    claim = make_claim(editor, credibility=3, rationale="One source.")
    before = db_snapshot()
    response = client_for(editor).post(reverse("claim-edit", args=[claim.pk]), {
        "statement": claim.statement, "kind": "event", "date_edtf": "2023-02-30", "date_wording": "",
        "credibility": "2", "rationale": "One source.", "version": edits.version_token(claim),
    })
    html = response.content.decode()
    assert escape(NOT_REAL) in html and "Changing the credibility needs a new rationale." in html
    assert db_snapshot() == before
