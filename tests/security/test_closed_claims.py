"""A retracted claim is closed (issue 13, item 2): every write is refused with code
"claim_closed" and changes nothing, until an editor reopens it with a reason."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kb.models import Claim
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import review as review_services
from kb.services.annotations import ReferenceFields
from kb.services.claims import ClaimFields
from kb.services.common import StaleEdit, version_token
from tests.factories import (
    SECOND_PHRASE, THIRD_PHRASE, article, client_for, make_candidate, make_claim, make_user, words,
)


@pytest.fixture
def closed(db):
    editor, admin = make_user("editor", "eddie"), make_user("admin", "ada")
    claim = make_claim(editor, statement="Retracted soon.")
    other = make_claim(editor, phrase=SECOND_PHRASE, statement="Open claim.")
    relation = claim_services.relation_add(from_claim=claim, to_claim=other, type="consistent_with", by=editor)
    note = annotation_services.annotation_create(by=editor, kind="context", body="A note.", claim=claim)
    cited = annotation_services.annotation_create(by=editor, kind="context", body="On a citation.",
                                                  citation=claim.citations.get())
    claim_services.claim_retract(claim=claim, by=editor, reason="Misread the source.")
    claim.refresh_from_db()
    return {"editor": editor, "admin": admin, "claim": claim, "other": other, "relation": relation,
            "note": note, "cited": cited}


def _writes(w):
    editor, claim, other = w["editor"], w["claim"], w["other"]
    return {
        "update": lambda: claim_services.claim_update(
            claim=claim, by=editor, version=version_token(claim), fields=ClaimFields(statement="Changed.")),
        "citation": lambda: claim_services.citation_add(claim=claim, by=editor, selection=words(article(), THIRD_PHRASE)),
        "relation from": lambda: claim_services.relation_add(from_claim=claim, to_claim=other, type="refines", by=editor),
        "relation to": lambda: claim_services.relation_add(from_claim=other, to_claim=claim, type="refines", by=editor),
        "relation remove": lambda: claim_services.relation_remove(relation=w["relation"], by=editor),
        "merge it": lambda: claim_services.claim_merge(claim=claim, into=other, by=editor),
        "merge into it": lambda: claim_services.claim_merge(claim=other, into=claim, by=editor),
        "annotate claim": lambda: annotation_services.annotation_create(by=editor, kind="context", body="x", claim=claim),
        "annotate citation": lambda: annotation_services.annotation_create(
            by=editor, kind="context", body="x", citation=claim.citations.get()),
        "edit note": lambda: annotation_services.annotation_update(
            annotation=w["note"], by=editor, kind="dispute", body="Changed.", version=version_token(w["note"])),
        "edit citation note": lambda: annotation_services.annotation_update(
            annotation=w["cited"], by=editor, kind="dispute", body="Changed.", version=version_token(w["cited"])),
        "reference": lambda: annotation_services.annotation_reference_add(
            annotation=w["note"], by=editor, fields=ReferenceFields("https://example.org", "Ex")),
    }


WRITES = ["update", "citation", "relation from", "relation to", "relation remove", "merge it", "merge into it",
          "annotate claim", "annotate citation", "edit note", "edit citation note", "reference"]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_to_a_retracted_claim_is_refused(closed, db_snapshot, write):
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        _writes(closed)[write]()
    assert caught.value.code == "claim_closed"
    assert db_snapshot() == before
    assert Claim.objects.get(pk=closed["claim"].pk).status == Claim.Status.RETRACTED


def test_a_candidate_cannot_be_merged_into_a_retracted_claim(closed):
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Candidate.")
    with pytest.raises(ValidationError) as caught:
        review_services.review_merge(claim=candidate, into=closed["claim"], by=closed["editor"])
    assert caught.value.code == "claim_closed"
    assert Claim.objects.get(pk=candidate.pk).status == Claim.Status.CANDIDATE


def test_hiding_a_note_on_a_retracted_claim_still_works(closed):
    annotation_services.annotation_set_hidden(annotation=closed["note"], by=closed["admin"], hidden=True, reason="spam")
    closed["note"].refresh_from_db()
    assert closed["note"].is_hidden


def test_reopen_needs_a_reason(closed):
    with pytest.raises(ValidationError) as caught:
        claim_services.claim_reopen(claim=closed["claim"], by=closed["editor"], reason="  ")
    assert caught.value.error_dict["reason"][0].code == "reason_required"


def test_reopen_is_recorded_and_opens_the_claim_again(closed):
    claim = claim_services.claim_reopen(claim=closed["claim"], by=closed["editor"], reason="The source was right.")
    assert (claim.status, claim.status_reason) == (Claim.Status.PUBLISHED, "")
    latest = claim.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("reopened: The source was right.", closed["editor"])
    claim_services.claim_update(claim=claim, by=closed["editor"], version=version_token(claim),
                                fields=ClaimFields(statement="Edited after reopening."))
    assert Claim.objects.get(pk=claim.pk).statement == "Edited after reopening."


def test_a_retracted_candidate_reopens_as_a_candidate(db):
    editor = make_user("editor", "eddie")
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Candidate.")
    claim_services.claim_retract(claim=candidate, by=editor, reason="no")
    assert claim_services.claim_reopen(claim=candidate, by=editor, reason="yes").status == Claim.Status.CANDIDATE


def test_only_a_retracted_claim_can_be_reopened(closed):
    with pytest.raises(ValidationError) as caught:
        claim_services.claim_reopen(claim=closed["other"], by=closed["editor"], reason="why not")
    assert caught.value.code == "not_retracted"


def test_reopen_against_a_stale_version_is_refused(closed):
    stale = version_token(closed["claim"])
    claim_services.claim_reopen(claim=closed["claim"], by=closed["editor"], reason="first")
    claim_services.claim_retract(claim=closed["claim"], by=closed["editor"], reason="again")
    with pytest.raises(StaleEdit):
        claim_services.claim_reopen(claim=closed["claim"], by=closed["editor"], reason="second", version=stale)


def test_the_claim_page_offers_only_reopen_on_a_retracted_claim(closed):
    page = client_for(closed["editor"]).get(closed["claim"].get_absolute_url()).content.decode()
    assert reverse("claim-reopen", args=[closed["claim"].pk]) in page
    for name in ("claim-edit", "citation-add", "relation-add", "claim-annotate", "claim-merge"):
        assert reverse(name, args=[closed["claim"].pk]) not in page, name


def test_the_edit_page_refuses_a_retracted_claim_with_a_message(closed):
    claim = closed["claim"]
    response = client_for(closed["editor"]).post(reverse("claim-edit", args=[claim.pk]), {
        "statement": "Changed.", "kind": "event", "version": version_token(claim),
    })
    assert response.status_code == 200
    assert "claim_closed" in {e.code for e in response.context["form"].non_field_errors().as_data()}
    assert Claim.objects.get(pk=claim.pk).statement == "Retracted soon."


def test_reopen_through_the_page(closed):
    claim = closed["claim"]
    client = client_for(closed["editor"])
    form = client.get(reverse("claim-reopen", args=[claim.pk])).context["form"]
    response = client.post(reverse("claim-reopen", args=[claim.pk]),
                           {"reason": "Checked again.", "version": form.initial["version"]})
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED
