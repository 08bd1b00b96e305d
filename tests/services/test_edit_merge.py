"""Stale edits merged field by field (issue 11, item 4): what the editor did not touch keeps the
newer value, what only they changed is theirs, what both changed waits for a choice."""
import pytest

from kb.models import Claim
from kb.services import claims as claim_services
from kb.services import common as edits
from tests.factories import make_claim


def _with(claim, **changes):
    return claim_services.ClaimFields(**{**claim_services.ClaimFields.of(claim).__dict__, **changes})


def test_merge_fields_takes_theirs_where_untouched_and_flags_both_changed():
    base = {"a": "x", "b": "y", "c": "z", "d": None}
    mine = {"a": "x", "b": "mine", "c": "mine", "d": None}
    theirs = {"a": "theirs", "b": "y", "c": "other", "d": 2}
    merged, conflicts = edits.merge_fields(base, mine, theirs)
    assert merged == {"a": "theirs", "b": "mine", "c": "mine", "d": 2}
    assert conflicts == ["c"]


def test_merge_fields_same_change_on_both_sides_and_crlf_are_no_conflict():
    merged, conflicts = edits.merge_fields({"s": "one\ntwo"}, {"s": "one\r\ntwo "}, {"s": "one\ntwo"})
    assert (merged, conflicts) == ({"s": "one\ntwo"}, [])
    merged, conflicts = edits.merge_fields({"s": "old"}, {"s": "new"}, {"s": "new"})
    assert (merged, conflicts) == ({"s": "new"}, [])


def test_merge_fields_without_a_base_flags_every_difference():
    merged, conflicts = edits.merge_fields(None, {"a": "1", "b": "same"}, {"a": "2", "b": "same"})
    assert conflicts == ["a"] and merged == {"a": "1", "b": "same"}


def test_untouched_field_keeps_the_other_editors_change(editor, other_editor):
    """The issue's scenario: the second editor's date wording survives the first's statement."""
    claim = make_claim(editor, statement="Hamas won the 2006 elections.", date_edtf="2006-01", date_wording="January 2006")
    loaded_token, loaded = edits.version_token(claim), claim_services.ClaimFields.of(claim)
    claim_services.claim_update(claim=claim, by=other_editor, version=loaded_token,
                                fields=_with(claim, date_wording="in late January 2006"))
    saved = claim_services.claim_update(
        claim=claim, by=editor, version=loaded_token, merge=True,
        fields=claim_services.ClaimFields(**{**loaded.__dict__, "statement": "Hamas won the January 2006 elections."}),
    )
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.statement, fresh.date_wording) == ("Hamas won the January 2006 elections.", "in late January 2006")
    assert saved.pk == claim.pk
    latest = fresh.history.order_by("-history_id").first()
    assert latest.history_user == editor and "merged" in latest.history_change_reason


def test_both_changed_one_field_is_a_conflict_and_nothing_is_saved(editor, other_editor, db_snapshot):
    claim = make_claim(editor, statement="First wording.", date_wording="2006")
    loaded_token, loaded = edits.version_token(claim), claim_services.ClaimFields.of(claim)
    claim_services.claim_update(claim=claim, by=other_editor, version=loaded_token,
                                fields=_with(claim, statement="Edna's wording.", date_wording="early 2006"))
    before = db_snapshot()
    with pytest.raises(edits.EditConflict) as caught:
        claim_services.claim_update(
            claim=claim, by=editor, version=loaded_token, merge=True,
            fields=claim_services.ClaimFields(**{**loaded.__dict__, "statement": "Eddie's wording.", "kind": "quantity"}),
        )
    conflict = caught.value
    assert conflict.code == "stale" and conflict.conflicts == ["statement"]
    assert conflict.merged["date_wording"] == "early 2006" and conflict.merged["kind"] == "quantity"
    assert conflict.mine["statement"] == "Eddie's wording." and conflict.current.statement == "Edna's wording."
    assert db_snapshot() == before
    assert Claim.objects.get(pk=claim.pk).statement == "Edna's wording."


def test_without_merge_a_stale_edit_is_still_refused(editor, other_editor):
    claim = make_claim(editor, statement="First wording.")
    token = edits.version_token(claim)
    claim_services.claim_update(claim=claim, by=other_editor, version=token, fields=_with(claim, date_wording="2006"))
    with pytest.raises(edits.StaleEdit) as caught:
        claim_services.claim_update(claim=claim, by=editor, version=token, fields=_with(claim, statement="Mine."))
    assert not isinstance(caught.value, edits.EditConflict)
    assert Claim.objects.get(pk=claim.pk).statement == "First wording."


def test_a_version_missing_from_history_makes_every_difference_a_conflict(editor, other_editor):
    claim = make_claim(editor, statement="First wording.", date_wording="2006")
    loaded = claim_services.ClaimFields.of(claim)
    claim_services.claim_update(claim=claim, by=other_editor, version=edits.version_token(claim),
                                fields=_with(claim, date_wording="early 2006"))
    with pytest.raises(edits.EditConflict) as caught:
        claim_services.claim_update(claim=claim, by=editor, version="2001-01-01T00:00:00+00:00", merge=True,
                                    fields=claim_services.ClaimFields(**{**loaded.__dict__, "statement": "Mine."}))
    assert set(caught.value.conflicts) == {"statement", "date_wording"}
