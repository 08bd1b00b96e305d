"""Editors' writes through the services: selections verified, edits recorded, stale edits refused, merges."""
import pytest
from django.core.exceptions import ValidationError

from kb.selectors import history
from kb.services import claims as claim_services
from kb.services import common as edits
from kb.models import Citation, Claim, Relation
from tests.helpers import error_codes
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, article, make_claim, words


# Selections


# Claims


def test_claim_from_selection_is_published_with_its_citation(editor):
    claim = make_claim(editor, statement="Seven soldiers and a settler died.", date_edtf="2006-12",
                       date_wording="in December 2006", credibility=2, rationale="Stated plainly.")
    citation = claim.citations.get()
    assert (claim.status, claim.origin, claim.date_earliest.isoformat(), claim.date_precision) == ("published", "editor", "2006-12-01", "month")
    assert citation.quote == UNIQUE_PHRASE and citation.is_anchored()
    assert claim.history.get().history_user == editor
    assert citation.history.get().history_user == editor


def test_invalid_date_and_credibility_without_rationale_are_refused(editor, db_snapshot):
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        make_claim(editor, date_edtf="the early nineties")
    assert error_codes(caught.value) == {"invalid_edtf"}
    with pytest.raises(ValidationError) as caught:
        make_claim(editor, credibility=2)
    assert error_codes(caught.value) == {"rationale_required"}
    assert db_snapshot() == before


def test_changing_credibility_needs_a_new_rationale(editor):
    claim = make_claim(editor, credibility=3, rationale="One source.")
    same = claim_services.ClaimFields.of(claim)
    with pytest.raises(ValidationError) as caught:
        claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim),
                              fields=claim_services.ClaimFields(**{**same.__dict__, "credibility": 2}))
    assert error_codes(caught.value) == {"rationale_required"}
    updated = claim_services.claim_update(
        claim=claim, by=editor, version=edits.version_token(claim),
        fields=claim_services.ClaimFields(**{**same.__dict__, "credibility": 2, "rationale": "Now probably true."}),
    )
    assert updated.credibility == 2


def test_stale_edit_is_refused_and_keeps_the_other_change(editor, other_editor):
    claim = make_claim(editor, statement="First wording.")
    token = edits.version_token(claim)
    fields = claim_services.ClaimFields.of(claim)
    claim_services.claim_update(claim=claim, by=other_editor, version=token,
                          fields=claim_services.ClaimFields(**{**fields.__dict__, "statement": "Edna's wording."}))
    with pytest.raises(edits.StaleEdit) as caught:
        claim_services.claim_update(claim=claim, by=editor, version=token,
                              fields=claim_services.ClaimFields(**{**fields.__dict__, "statement": "Eddie's wording."}))
    assert caught.value.code == "stale"
    assert caught.value.current.statement == "Edna's wording."
    assert Claim.objects.get(pk=claim.pk).statement == "Edna's wording."
    change = history.last_change(caught.value.current)
    assert change.who == "edna" and [c.name for c in change.changes] == ["statement"]


def test_history_records_every_field_change(editor):
    claim = make_claim(editor, statement="Old statement.", date_edtf="1990", credibility=3, rationale="r1")
    claim_services.claim_update(
        claim=claim, by=editor, version=edits.version_token(claim), note="corrected from the source",
        fields=claim_services.ClaimFields(statement="New statement.", kind="quantity", date_edtf="1990/1993",
                                    date_wording="in the early 1990s", credibility=2, rationale="r2"),
    )
    latest = claim.history.order_by("-history_date").first()
    assert latest.history_user == editor and latest.history_change_reason == "corrected from the source"
    entry = next(e for e in history.claim_history(claim) if e.what == "claim" and e.action == "changed")
    changed = {c.name: (c.old, c.new) for c in entry.changes}
    assert changed == {
        "statement": ("Old statement.", "New statement."),
        "kind": ("event", "quantity"),
        "date_edtf": ("1990", "1990/1993"),
        "date_wording": ("—", "in the early 1990s"),
        "credibility": ("possibly true", "probably true"),
        "rationale": ("r1", "r2"),
    }


def test_merge_moves_every_citation_and_keeps_the_old_row(editor):
    source = article()
    target = Claim.objects.published().filter(citations__isnull=False).distinct().first()
    duplicate = make_claim(editor, phrase=UNIQUE_PHRASE)
    claim_services.citation_add(claim=duplicate, by=editor, selection=words(source, SECOND_PHRASE))
    moved = set(duplicate.citations.values_list("pk", flat=True))
    before = set(target.citations.values_list("pk", flat=True))
    claim_services.claim_merge(claim=duplicate, into=target, by=editor, reason="same fact")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id, duplicate.status_reason) == ("merged", target.pk, "same fact")
    assert set(target.citations.values_list("pk", flat=True)) == before | moved
    assert Citation.objects.filter(claim=duplicate).count() == 0
    assert all(r.history_user == editor for c in Citation.objects.filter(pk__in=moved) for r in c.history.all()[:1])
    with pytest.raises(ValidationError) as caught:
        claim_services.claim_merge(claim=duplicate, into=target, by=editor)
    assert error_codes(caught.value) == {"already_merged"}


def test_merge_moves_relations_and_redirects_earlier_merges(editor):
    a, b, c = (make_claim(editor, phrase=p) for p in (UNIQUE_PHRASE, SECOND_PHRASE, THIRD_PHRASE))
    other = Claim.objects.published().exclude(pk__in=[a.pk, b.pk, c.pk]).first()
    claim_services.relation_add(from_claim=a, to_claim=other, type="contradicts", by=editor)
    claim_services.relation_add(from_claim=a, to_claim=b, type="consistent_with", by=editor)
    claim_services.claim_merge(claim=c, into=a, by=editor)
    claim_services.claim_merge(claim=a, into=b, by=editor)
    assert Relation.objects.filter(from_claim=b, to_claim=other, type="contradicts").exists()
    # A relation between the two merged claims would point at itself: it stays on the merged claim.
    assert Relation.objects.filter(from_claim=a, to_claim=b).exists()
    c.refresh_from_db()
    assert c.merged_into_id == b.pk


def test_retract_needs_a_reason_and_is_recorded(editor):
    claim = make_claim(editor)
    with pytest.raises(ValidationError) as caught:
        claim_services.claim_retract(claim=claim, by=editor, reason="  ")
    assert error_codes(caught.value) == {"reason_required"}
    claim_services.claim_retract(claim=claim, by=editor, reason="Misread the source.")
    claim.refresh_from_db()
    assert (claim.status, claim.status_reason) == ("retracted", "Misread the source.")
    assert claim.history.latest().history_change_reason == "retracted"


def test_relation_removal_keeps_its_history(editor):
    a, b = make_claim(editor, date_edtf="2020"), make_claim(editor, phrase=SECOND_PHRASE, date_edtf="2005")
    relation = claim_services.relation_add(from_claim=a, to_claim=b, type="updates", note="newer figure", by=editor)
    pk = relation.pk
    claim_services.relation_remove(relation=relation, by=editor, reason="wrong pair")
    assert not Relation.objects.filter(pk=pk).exists()
    records = Relation.history.filter(id=pk).order_by("history_date")
    assert [r.history_type for r in records] == ["+", "-"]
    assert records.last().history_user == editor and records.last().history_change_reason == "wrong pair"


def test_citation_added_to_a_claim_is_verified_and_not_repeated(editor):
    claim = make_claim(editor)
    citation = claim_services.citation_add(claim=claim, by=editor, selection=words(article(), SECOND_PHRASE),
                                     attribution="the article", stance="hedged")
    assert (citation.order, citation.stance, citation.is_anchored()) == (2, "hedged", True)
    with pytest.raises(ValidationError) as caught:
        claim_services.citation_add(claim=claim, by=editor, selection=words(article(), SECOND_PHRASE))
    assert error_codes(caught.value) == {"duplicate_citation"}
