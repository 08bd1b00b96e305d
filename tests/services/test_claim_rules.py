"""The claim rules applied when a person writes (kb/services/claims.py, review.py): each rule
refuses the write with its code and a message that names it, and nothing is written."""
import pytest
from django.core.exceptions import ValidationError

from kb.models import Citation, Claim, Relation
from kb.selectors import claim_rules as rules
from kb.services import claims as claim_services
from kb.services import common as edits
from kb.services import review as review_services
from tests.helpers import error_codes
from tests.factories import (  # noqa: F401
    SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, SourceFactory, article, make_candidate, make_claim, text_range, words,
)

OTHER_TEXT = "An independent report.\n\nSeven Israeli soldiers and one settler were killed.\n"


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


@pytest.fixture
def independent_citation(db):
    """Cite UNIQUE_PHRASE in a third source, neither the article nor a copy of it, on a claim."""
    source = SourceFactory(slug="independent-report", text=OTHER_TEXT)

    def cite(claim, attribution=""):
        return Citation.objects.create(claim=claim, source=source, attribution=attribution,
                                       **text_range(source, quote=UNIQUE_PHRASE))

    return cite


def _fields(claim, **changes):
    return claim_services.ClaimFields(**{**claim_services.ClaimFields.of(claim).__dict__, **changes})


# Relations


def test_a_relation_is_given_once_in_either_direction(editor, db_snapshot):
    a, b = make_claim(editor), make_claim(editor, phrase=SECOND_PHRASE)
    claim_services.relation_add(from_claim=a, to_claim=b, type="contradicts", by=editor)
    before = db_snapshot()
    for ends in ((a, b), (b, a)):
        error = refused(claim_services.relation_add, from_claim=ends[0], to_claim=ends[1], type="contradicts", by=editor)
        assert error_codes(error) == {rules.DUPLICATE_RELATION}
        assert "duplicate_relation" in error.messages[0] and "already related as contradicts" in error.messages[0]
    assert db_snapshot() == before


@pytest.mark.parametrize("first, second", [("refines", "contradicts"), ("contradicts", "refines"),
                                           ("contradicts", "supports"), ("consistent_with", "contradicts"),
                                           ("distorts", "supports"), ("refines", "distorts")])
def test_contradiction_cannot_stand_beside_agreement(editor, db_snapshot, first, second):
    a, b = make_claim(editor), make_claim(editor, phrase=SECOND_PHRASE)
    claim_services.relation_add(from_claim=a, to_claim=b, type=first, by=editor)
    before = db_snapshot()
    for ends in ((a, b), (b, a)):
        error = refused(claim_services.relation_add, from_claim=ends[0], to_claim=ends[1], type=second, by=editor)
        assert error_codes(error) == {rules.CONFLICTING_RELATIONS}
    assert db_snapshot() == before


def test_a_contradictory_pair_is_refused_naming_the_relation_already_there(editor):
    """Issue 11, item 6: A refines B, so B cannot contradict A; the message says which relation stands."""
    a, b = make_claim(editor), make_claim(editor, phrase=SECOND_PHRASE)
    claim_services.relation_add(from_claim=a, to_claim=b, type="refines", by=editor)
    error = refused(claim_services.relation_add, from_claim=b, to_claim=a, type="contradicts", by=editor)
    assert f"claim {a.pk} already refines claim {b.pk}" in error.messages[0]
    assert "remove that relation first" in error.messages[0]
    assert not Relation.objects.filter(from_claim=b, to_claim=a).exists()


def test_corroboration_needs_independent_sources(editor, db_snapshot, independent_citation):
    a, b = make_claim(editor), make_claim(editor, phrase=SECOND_PHRASE)
    before = db_snapshot()
    error = refused(claim_services.relation_add, from_claim=a, to_claim=b, type="corroborates", by=editor)
    assert error_codes(error) == {rules.CORROBORATES_NOT_INDEPENDENT}
    assert "use consistent_with or supports" in error.messages[0]
    assert db_snapshot() == before
    # The same speaker in two independent sources is still one witness.
    independent_citation(b, attribution="Mike Kelly")
    Citation.objects.filter(claim=a).update(attribution="the journalist Mike Kelly")
    error = refused(claim_services.relation_add, from_claim=a, to_claim=b, type="corroborates", by=editor)
    assert error_codes(error) == {rules.CORROBORATES_NOT_INDEPENDENT}
    Citation.objects.filter(claim=a).update(attribution="")
    relation = claim_services.relation_add(from_claim=a, to_claim=b, type="corroborates", by=editor)
    assert Relation.objects.filter(pk=relation.pk, type="corroborates").exists()


def test_copies_of_one_original_are_one_witness_however_far_apart(editor, independent_citation):
    # The rule reads only the copy links of the two claims' sources' groups: a copy chain through
    # a source neither claim cites still joins them; links among other sources change nothing.
    from kb.models import SourceLink

    a, b = make_claim(editor), make_claim(editor, phrase=SECOND_PHRASE)
    citation = independent_citation(b)
    # Texts that share no words, so the import's copy check links none of them by itself.
    texts = ["Alpha bravo charlie delta echo.", "Foxtrot golf hotel india juliet.", "Kilo lima mike november oscar.",
             "Papa quebec romeo sierra tango.", "Uniform victor whiskey xray yankee."]
    original, middle, *elsewhere = [SourceFactory(slug=f"linked-{n}", text=text) for n, text in enumerate(texts)]
    for copy, target in [(elsewhere[0], elsewhere[1]), (elsewhere[2], elsewhere[1]),
                         (a.citations.get().source, original), (citation.source, middle), (middle, original)]:
        SourceLink.objects.create(source=copy, target=target, shared_share=0.9)
    error = refused(claim_services.relation_add, from_claim=a, to_claim=b, type="corroborates", by=editor)
    assert error_codes(error) == {rules.CORROBORATES_NOT_INDEPENDENT}
    SourceLink.objects.filter(source=middle).delete()
    assert claim_services.relation_add(from_claim=a, to_claim=b, type="corroborates", by=editor).pk


def test_updates_run_from_the_newer_claim(editor, db_snapshot):
    old = make_claim(editor, date_edtf="1995")
    new = make_claim(editor, phrase=SECOND_PHRASE, date_edtf="2020")
    undated = make_claim(editor, phrase=THIRD_PHRASE)
    before = db_snapshot()
    error = refused(claim_services.relation_add, from_claim=old, to_claim=new, type="updates", by=editor)
    assert error_codes(error) == {rules.UPDATES_BACKWARDS} and "backwards in time" in error.messages[0]
    error = refused(claim_services.relation_add, from_claim=undated, to_claim=old, type="updates", by=editor)
    assert error_codes(error) == {rules.UPDATES_BACKWARDS} and "undated" in error.messages[0]
    assert db_snapshot() == before
    assert claim_services.relation_add(from_claim=new, to_claim=old, type="updates", by=editor).pk


# Claims: created, edited, published from review


def test_grade_one_needs_two_independent_sources(editor, db_snapshot, independent_citation):
    before = db_snapshot()
    error = refused(claim_services.claim_create_from_selection, by=editor, selection=words(article()),
                    fields=claim_services.ClaimFields(statement="Eight were killed.", credibility=1, rationale="Sure."))
    assert error_codes(error) == {rules.GRADE_1_NOT_CONFIRMED}
    assert "credibility" in error.error_dict and "grade_1_not_confirmed" in error.messages[0]
    assert db_snapshot() == before
    claim = make_claim(editor, credibility=3, rationale="One source.")
    before = db_snapshot()
    error = refused(claim_services.claim_update, claim=claim, by=editor, version=edits.version_token(claim),
                    fields=_fields(claim, credibility=1, rationale="Confirmed."))
    assert error_codes(error) == {rules.GRADE_1_NOT_CONFIRMED}
    assert db_snapshot() == before
    claim.refresh_from_db()
    assert claim.credibility == 3
    independent_citation(claim)
    claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim),
                                fields=_fields(claim, credibility=1, rationale="Two independent sources."))
    assert Claim.objects.get(pk=claim.pk).credibility == 1


def test_statement_keeps_the_attribution(editor, db_snapshot):
    before = db_snapshot()
    error = refused(claim_services.claim_create_from_selection, by=editor, selection=words(article()),
                    fields=claim_services.ClaimFields(statement="Eight people were killed."), attribution="Mike Kelly")
    assert error_codes(error) == {rules.ATTRIBUTION_DROPPED} and "statement" in error.error_dict
    assert db_snapshot() == before
    claim = claim_services.claim_create_from_selection(
        by=editor, selection=words(article()), attribution="Mike Kelly",
        fields=claim_services.ClaimFields(statement="According to Mike Kelly, eight people were killed."),
    )
    before = db_snapshot()
    error = refused(claim_services.claim_update, claim=claim, by=editor, version=edits.version_token(claim),
                    fields=_fields(claim, statement="Eight people were killed."))
    assert error_codes(error) == {rules.ATTRIBUTION_DROPPED}
    assert db_snapshot() == before


def test_date_resolved_from_context_quotes_its_words(editor, db_snapshot):
    before = db_snapshot()
    for wording in ("(resolved from context: 1995)", "killed (resolved from context: 1995)",
                    "in the summer of 1995 (resolved from context)"):
        error = refused(claim_services.claim_create_from_selection, by=editor, selection=words(article()),
                        fields=claim_services.ClaimFields(statement="Eight were killed.", date_edtf="1995",
                                                          date_wording=wording))
        assert error_codes(error) == {rules.DATE_CONTEXT_WITHOUT_WORDS} and "date_wording" in error.error_dict
    assert db_snapshot() == before
    claim = make_claim(editor, phrase=SECOND_PHRASE, date_edtf="1990", date_wording="In 1990")
    error = refused(claim_services.claim_update, claim=claim, by=editor, version=edits.version_token(claim),
                    fields=_fields(claim, date_wording="hosted (resolved from context: 1990)"))
    assert error_codes(error) == {rules.DATE_CONTEXT_WITHOUT_WORDS}
    claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim),
                                fields=_fields(claim, date_wording="In 1990 (resolved from context: the year)"))
    assert Claim.objects.get(pk=claim.pk).date_wording == "In 1990 (resolved from context: the year)"


def test_every_broken_rule_is_named_at_once(editor):
    error = refused(claim_services.claim_create_from_selection, by=editor, selection=words(article()),
                    attribution="Mike Kelly",
                    fields=claim_services.ClaimFields(statement="Eight were killed.", credibility=1, rationale="r",
                                                      date_edtf="1995", date_wording="(from context)"))
    assert error_codes(error) == {rules.GRADE_1_NOT_CONFIRMED, rules.ATTRIBUTION_DROPPED, rules.DATE_CONTEXT_WITHOUT_WORDS}


def test_publishing_a_candidate_keeps_the_rules(editor, db_snapshot):
    text = article().text
    start = text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Support increased.")
    before = db_snapshot()
    error = refused(review_services.review_accept, claim=candidate, by=editor,
                    fields=_fields(candidate, credibility=1, rationale="Confirmed."))
    assert error_codes(error) == {rules.GRADE_1_NOT_CONFIRMED}
    assert db_snapshot() == before and Claim.objects.get(pk=candidate.pk).status == Claim.Status.CANDIDATE
    review_services.review_accept(claim=candidate, by=editor, fields=_fields(candidate, credibility=2, rationale="Probable."))
    assert Claim.objects.get(pk=candidate.pk).status == Claim.Status.PUBLISHED


def test_an_edit_that_changes_nothing_is_not_checked(editor):
    claim = make_claim(editor, date_edtf="1995")
    Claim.objects.filter(pk=claim.pk).update(credibility=1)  # broken outside the editor's pages
    claim.refresh_from_db()
    same = claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim), fields=_fields(claim))
    assert same.credibility == 1
    with pytest.raises(ValidationError):  # any real change must fix it
        claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim),
                                    fields=_fields(claim, statement="Eight people were killed."))
