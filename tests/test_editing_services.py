"""Editors' writes through the services: selections verified, edits recorded, stale edits refused, merges."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kb.selectors import annotations as annotation_selectors
from kb.selectors import history
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import common as edits
from kb.models import Annotation
from kb.selectors.selection import selection_find, selection_from_points, selection_verify
from kb.models import Citation, Claim, Passage, Relation
from kb.text.ranges import visible_range
from tests.test_editing_support import SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, article, editor, make_claim, other_editor, site_admin, words  # noqa: F401


def _codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


# Selections


def test_selection_verifies_quote_against_the_text(seeds):
    source = seeds["article"]
    start = source.text.index(UNIQUE_PHRASE)
    selection = selection_verify(source=source, start=start, end=start + len(UNIQUE_PHRASE), quote=UNIQUE_PHRASE)
    assert source.text[selection.start : selection.end] == selection.quote == UNIQUE_PHRASE
    assert source.text[: selection.start].endswith(selection.prefix) and len(selection.prefix) == 60
    assert source.text[selection.end :].startswith(selection.suffix)
    assert selection.passage.start <= start and selection.end <= selection.passage.end


@pytest.mark.parametrize("change", [
    {"quote": "Seven Israeli soldiers and two settlers were killed."},
    {"start": 1},
    {"end": 10**9},
    {"prefix": "not what precedes"},
    {"suffix": "not what follows"},
])
def test_selection_that_does_not_match_is_refused(seeds, change):
    source = seeds["article"]
    start = source.text.index(UNIQUE_PHRASE)
    args = {"source": source, "start": start, "end": start + len(UNIQUE_PHRASE), "quote": UNIQUE_PHRASE, **change}
    with pytest.raises(ValidationError) as caught:
        selection_verify(**args)
    assert _codes(caught.value) & {"quote_mismatch", "invalid_range", "context_mismatch"}


def test_selection_from_passage_points_counts_shown_text(seeds):
    source = seeds["article"]
    passage = Passage.objects.filter(source=source, kind="paragraph").order_by("order")[2]
    first, _ = visible_range(source.text, passage.start, passage.end)
    selection = selection_from_points(source=source, start_point=f"{passage.anchor}:4", end_point=f"{passage.anchor}:30")
    assert (selection.start, selection.end) == (first + 4, first + 30)
    with pytest.raises(ValidationError) as caught:
        selection_from_points(source=source, start_point=f"{passage.anchor}:4", end_point=f"{passage.anchor}:30", quote="other words")
    assert _codes(caught.value) == {"quote_mismatch"}
    with pytest.raises(ValidationError) as caught:
        selection_from_points(source=source, start_point="p-9999:0", end_point="p-9999:3")
    assert _codes(caught.value) == {"unknown_passage"}


def test_finding_a_quote_tolerates_white_space_and_names_ambiguity(seeds):
    source = seeds["article"]
    found = selection_find(source=source, quote="Seven  Israeli\nsoldiers and one settler were killed.")
    assert found.quote == UNIQUE_PHRASE
    with pytest.raises(ValidationError) as caught:
        selection_find(source=source, quote="Hamas")
    assert _codes(caught.value) == {"quote_ambiguous"}
    assert selection_find(source=source, quote="Hamas", occurrence=2).start > selection_find(source=source, quote="Hamas", occurrence=1).start
    with pytest.raises(ValidationError) as caught:
        selection_find(source=source, quote="words that are nowhere in it")
    assert _codes(caught.value) == {"quote_not_found"}


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
    assert _codes(caught.value) == {"invalid_edtf"}
    with pytest.raises(ValidationError) as caught:
        make_claim(editor, credibility=2)
    assert _codes(caught.value) == {"rationale_required"}
    assert db_snapshot() == before


def test_changing_credibility_needs_a_new_rationale(editor):
    claim = make_claim(editor, credibility=3, rationale="One source.")
    same = claim_services.ClaimFields.of(claim)
    with pytest.raises(ValidationError) as caught:
        claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim),
                              fields=claim_services.ClaimFields(**{**same.__dict__, "credibility": 1}))
    assert _codes(caught.value) == {"rationale_required"}
    updated = claim_services.claim_update(
        claim=claim, by=editor, version=edits.version_token(claim),
        fields=claim_services.ClaimFields(**{**same.__dict__, "credibility": 1, "rationale": "Now confirmed by two independent sources."}),
    )
    assert updated.credibility == 1


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


def test_word_diff_marks_what_changed():
    assert history.text_diff("Iran gave $30M a year.", "Iran gave $100M a year.") == [
        ("same", "Iran gave "), ("del", "$30M"), ("ins", "$100M"), ("same", " a year."),
    ]


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
    assert _codes(caught.value) == {"already_merged"}


def test_merge_moves_relations_and_redirects_earlier_merges(editor):
    a, b, c = (make_claim(editor, phrase=p) for p in (UNIQUE_PHRASE, SECOND_PHRASE, THIRD_PHRASE))
    other = Claim.objects.published().exclude(pk__in=[a.pk, b.pk, c.pk]).first()
    claim_services.relation_add(from_claim=a, to_claim=other, type="contradicts", by=editor)
    claim_services.relation_add(from_claim=a, to_claim=b, type="corroborates", by=editor)
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
    assert _codes(caught.value) == {"reason_required"}
    claim_services.claim_retract(claim=claim, by=editor, reason="Misread the source.")
    claim.refresh_from_db()
    assert (claim.status, claim.status_reason) == ("retracted", "Misread the source.")
    assert claim.history.latest().history_change_reason == "retracted"


def test_relation_removal_keeps_its_history(editor):
    a, b = make_claim(editor), make_claim(editor, phrase=SECOND_PHRASE)
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
    assert _codes(caught.value) == {"duplicate_citation"}


# Annotations


def test_annotation_on_each_kind_of_target(editor):
    claim = make_claim(editor)
    on_claim = annotation_services.annotation_create(by=editor, kind="context", body="Context.", claim=claim)
    on_citation = annotation_services.annotation_create(by=editor, kind="support", body="Yes.", citation=claim.citations.get())
    on_words = annotation_services.annotation_create(
        by=editor, kind="question", body="Which soldiers?", selection=words(article()),
        references=[annotation_services.ReferenceFields("https://example.org/report", "A report", "Example", None)],
    )
    assert on_words.source.text[on_words.start : on_words.end] == on_words.quote == UNIQUE_PHRASE
    assert on_words.references.get().url == "https://example.org/report"
    assert set(a.pk for a in annotation_selectors.claim_annotations(claim)) == {on_claim.pk, on_citation.pk}
    assert [p.annotation.pk for p in annotation_selectors.source_annotations(article())][:2] != []
    with pytest.raises(ValidationError) as caught:
        annotation_services.annotation_create(by=editor, kind="context", body="Two targets.", claim=claim, selection=words(article()))
    assert _codes(caught.value) == {"one_target"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "//example.org"])
def test_reference_url_must_be_http(editor, url, db_snapshot):
    claim = make_claim(editor)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        annotation_services.annotation_create(by=editor, kind="context", body="x", claim=claim,
                                   references=[annotation_services.ReferenceFields(url, "t")])
    assert _codes(caught.value) == {"url_scheme"}
    assert db_snapshot() == before


def test_only_the_author_edits_and_stale_edits_are_refused(editor, other_editor):
    annotation = annotation_services.annotation_create(by=editor, kind="context", body="First.", claim=make_claim(editor))
    token = edits.version_token(annotation)
    with pytest.raises(PermissionDenied):
        annotation_services.annotation_update(annotation=annotation, by=other_editor, kind="context", body="Hijacked.", version=token)
    annotation_services.annotation_update(annotation=annotation, by=editor, kind="correction", body="Second.", version=token)
    with pytest.raises(edits.StaleEdit):
        annotation_services.annotation_update(annotation=annotation, by=editor, kind="context", body="Third.", version=token)
    assert Annotation.objects.get(pk=annotation.pk).body == "Second."


def test_hiding_is_for_admins_recorded_and_reversible(editor, site_admin):
    annotation = annotation_services.annotation_create(by=editor, kind="dispute", body="Spam.", claim=make_claim(editor))
    with pytest.raises(PermissionDenied):
        annotation_services.annotation_set_hidden(annotation=annotation, by=editor, hidden=True, reason="mine")
    annotation_services.annotation_set_hidden(annotation=annotation, by=site_admin, hidden=True, reason="off topic")
    assert annotation_selectors.recent_annotations(10) == []
    annotation_services.annotation_set_hidden(annotation=annotation, by=site_admin, hidden=False)
    assert [a.pk for a in annotation_selectors.recent_annotations(10)] == [annotation.pk]
    records = list(annotation.history.order_by("history_date"))
    assert [(r.is_hidden, r.history_user.username) for r in records] == [(False, "eddie"), (True, "ada"), (False, "ada")]
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_a_selection_sent_with_crlf_line_endings_matches_the_stored_text(seeds):
    source = article()
    start = source.text.index("Relations between Iran and Hamas strengthened")
    end = source.text.index(".", start) + 1
    before, after = source.text[max(start - 60, 0) : start], source.text[end : end + 60]
    assert "\n" in before
    crlf = lambda value: value.replace("\n", "\r\n")  # noqa: E731 (what a browser's form sends)
    selection = selection_verify(source=source, start=start, end=end, quote=crlf(source.text[start:end]),
                                 prefix=crlf(before), suffix=crlf(after))
    assert (selection.start, selection.end, selection.prefix) == (start, end, before)
    assert selection_find(source=source, quote=crlf(source.text[start:end])).start == start
