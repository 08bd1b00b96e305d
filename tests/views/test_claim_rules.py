"""The claim rules on the editors' pages: a write that breaks one is refused with the rule named
on the form (or in the review queue's message), and nothing is written."""
import pytest
from django.urls import reverse
from django.utils.html import escape

from kb.models import Citation
from kb.selectors.claim_rules import RULES
from kb.services import claims as claim_services
from kb.services import common as edits
from tests.factories import (  # noqa: F401
    SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, article, client_for, make_candidate, make_claim,
)


def assert_refused(response, code, before, after):
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(f"Rule “{RULES[code]}” ({code})") in html
    assert after == before


@pytest.mark.parametrize("existing, posted, direction, code", [
    ("contradicts", "contradicts", "in", "duplicate_relation"),
    ("refines", "contradicts", "out", "conflicting_relations"),
    ("contradicts", "refines", "in", "conflicting_relations"),
    (None, "corroborates", "out", "corroborates_not_independent"),
    (None, "updates", "out", "updates_backwards"),
])
def test_relation_form_names_the_rule(editor, db_snapshot, existing, posted, direction, code):
    claim = make_claim(editor, date_edtf="1995")
    other = make_claim(editor, phrase=SECOND_PHRASE, date_edtf="2020")
    if existing:
        claim_services.relation_add(from_claim=claim, to_claim=other, type=existing, by=editor)
    before = db_snapshot()
    response = client_for(editor).post(reverse("relation-add", args=[claim.pk]),
                                       {"type": posted, "other": other.pk, "direction": direction})
    assert_refused(response, code, before, db_snapshot())


CLAIM_FIELDS = {"statement": "Eight were killed.", "kind": "event", "date_edtf": "1995", "date_wording": "",
                "credibility": "3", "rationale": "One source."}
BROKEN = [
    ({"credibility": "1", "rationale": "Sure."}, {}, "grade_1_not_confirmed"),
    ({}, {"attribution": "Mike Kelly"}, "attribution_dropped"),
    ({"date_wording": "killed (resolved from context: 1995)"}, {}, "date_context_without_words"),
]


@pytest.mark.parametrize("change, citation, code", BROKEN)
def test_new_claim_form_names_the_rule(editor, db_snapshot, change, citation, code):
    before = db_snapshot()
    response = client_for(editor).post(reverse("claim-new", args=[article().slug]), {
        "quote": UNIQUE_PHRASE, "stance": "states", **CLAIM_FIELDS, **change, **citation,
    })
    assert_refused(response, code, before, db_snapshot())


@pytest.mark.parametrize("change, citation, code", BROKEN)
def test_claim_edit_form_names_the_rule(editor, db_snapshot, change, citation, code):
    claim = make_claim(editor, statement=CLAIM_FIELDS["statement"], date_edtf="1995", credibility=3, rationale="One source.")
    if citation:
        Citation.objects.filter(claim=claim).update(**citation)
    before = db_snapshot()
    response = client_for(editor).post(reverse("claim-edit", args=[claim.pk]), {
        **CLAIM_FIELDS, "statement": "Eight people were killed.", **change, "version": edits.version_token(claim),
    })
    assert_refused(response, code, before, db_snapshot())
    claim.refresh_from_db()
    assert claim.statement == CLAIM_FIELDS["statement"]


def test_review_accept_names_the_rule(editor, db_snapshot):
    text = article().text
    start = text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Support increased.")
    before = db_snapshot()
    prefix = f"c{candidate.pk}"
    response = client_for(editor).post(reverse("review-accept", args=[candidate.pk]), {
        f"{prefix}-statement": "Support increased.", f"{prefix}-kind": "event", f"{prefix}-credibility": "1",
        f"{prefix}-rationale": "Confirmed.", "version": edits.version_token(candidate),
    }, follow=True)
    assert escape(f"Rule “{RULES['grade_1_not_confirmed']}” (grade_1_not_confirmed)") in response.content.decode()
    assert db_snapshot() == before
