"""Matching a candidate against existing claims: restatement, newer figure, contradiction, stale
fact (pure comparisons), and the database shortlist that keeps it bounded."""
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

from kb.extraction import matching
from kb.extraction.evaluation import score_matching
from kb.importing import structure as st
from kb.models import Claim
from kb.selectors.candidates import SHORTLIST_CAP, claim_shortlist, preview_candidates


on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite shortlists by shared entities")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL shortlists by trigrams")


def relation(candidate, date, existing, existing_date, present=False):
    found = matching.best_match(candidate, date, [matching.Existing(7, existing, existing_date)], present_tense=present)
    return found.relation if found else None


@pytest.mark.parametrize("candidate, date, existing, existing_date, expected", [
    ("In 2010 the bridge over the Aran carried 9,000 cars a day.", "2010",
     "The bridge over the Aran carried 9,000 cars a day in 2010.", "2010", "restates"),
    ("The bridge over the Aran carried 12,000 cars a day in 2016.", "2016",
     "The bridge over the Aran carried 9,000 cars a day in 2010.", "2010", "updates"),
    ("The bridge over the Aran carried 7,000 cars a day in 2010.", "2010",
     "The bridge over the Aran carried 9,000 cars a day in 2010.", "2010", "contradicts"),
    ("The bridge over the Aran carries 9,000 cars a day.", "2010-04-02",
     "The bridge over the Aran carried 12,000 cars a day in 2016.", "2016", "stale"),
    # precision-aware: the early 1990s and 1992 agree; December 2006 and 2007 do not
    ("The museum of Tolo reopened its east wing in 1992.", "1992",
     "The museum of Tolo reopened its east wing in the early 1990s.", "1990/1993", "restates"),
    ("The museum of Tolo reopened its east wing in 2007.", "2007",
     "The museum of Tolo reopened its east wing in December 2006.", "2006-12", "contradicts"),
    ("The museum of Tolo closed its west wing in 2007.", "2007",  # another fact
     "The museum of Tolo reopened its east wing in December 2006.", "2006-12", None),
    ("The bridge over the Aran is 1,200 metres long.", "2010",
     "The bridge over the Aran carried 9,000 cars a day in 2010.", "2010", None),
])
def test_statements_are_compared_not_surface_strings(candidate, date, existing, existing_date, expected):
    assert relation(candidate, date, existing, existing_date) == expected


def test_the_hand_written_pairs_score_at_least_the_measured_floors():
    data = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "matching" / "pairs.yaml").read_text())
    for name, recall_floor in (("pairs", 0.9), ("held_out", 0.85)):
        score = score_matching(data[name])
        assert score.recall >= recall_floor, (name, score.mistakes)
        assert score.wrong_share <= 0.05, (name, score.mistakes)


def _proposal(statement, entities):
    from kb.extraction.candidates import Proposal

    return Proposal(start=0, end=len(statement), quote=statement, statement=statement, passage="p-1", section="",
                    entities=entities)


@on_sqlite
def test_the_shortlist_holds_claims_sharing_an_entity_in_a_constant_number_of_queries(seeds, django_assert_num_queries):
    entity = Claim.objects.published().filter(entities__isnull=False).values_list("entities__slug", flat=True).first()
    with django_assert_num_queries(5):  # ids, statements, quotes, source titles, copy links
        shortlist = claim_shortlist([_proposal("Something about it happened here in town.", [entity])])
    ids = {row.claim_id for row in shortlist.rows}
    assert ids
    assert set(Claim.objects.filter(pk__in=ids, entities__slug=entity).values_list("pk", flat=True)) == ids
    assert len(ids) <= SHORTLIST_CAP


@on_sqlite
def test_the_shortlist_is_capped_whatever_the_corpus_size(seeds, monkeypatch):
    from kb.selectors import candidates

    entity = Claim.objects.published().filter(entities__isnull=False).values_list("entities__slug", flat=True).first()
    monkeypatch.setattr(candidates, "SHORTLIST_CAP", 3)
    shortlist = claim_shortlist([_proposal("Something about it happened here in town.", [entity])])
    assert len({row.claim_id for row in shortlist.rows}) == 3


@on_sqlite
def test_without_entities_nothing_is_shortlisted(seeds, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert claim_shortlist([_proposal("Nothing named at all in this sentence here.", [])]).rows == []


def test_a_newer_figure_for_a_published_claim_is_proposed_as_its_update(seeds):
    claim = Claim.objects.get(key="art-iran-funding-350m-2023")
    text = ("Funding\n\nAs of 2025 Iran had significantly increased its funding for Hamas, to $500 million a year.\n")
    (proposal,) = preview_candidates(text, st.parse(text, "plain"), metadata={"reliability": "C"})
    assert (proposal.match_claim_id, proposal.match_relation) == (claim.pk, "updates")
    assert "500" in proposal.match_reason and "350" in proposal.match_reason
    assert f"Claim {claim.pk}, same measure, newer" in proposal.rationale


@on_postgresql
def test_the_fulltext_shortlist_takes_the_top_k_per_candidate_in_one_query_per_200(seeds, django_assert_num_queries):
    from kb.selectors.candidates import TOP_K

    claim = Claim.objects.get(key="art-iran-funding-350m-2023")
    proposals = [_proposal(claim.statement, []), _proposal("A sentence about nothing in the knowledge base at all.", [])]
    with django_assert_num_queries(5):  # full-text ids, statements, quotes, source titles, copy links
        shortlist = claim_shortlist(proposals)
    ids = {row.claim_id for row in shortlist.rows}
    assert claim.pk in ids and len(ids) <= 2 * TOP_K * len(proposals)


def test_key_words_prefer_long_words_then_names_then_figures():
    from kb.selectors.candidates import _tsquery, key_words

    words = key_words("As of 2023 Iran had significantly increased its funding for Hamas, to $350 million a year.")
    assert words == ["significantly", "increased", "funding", "hamas"]
    assert _tsquery(["a1", "b2", "c3"]) == "(a1 & b2) | (a1 & c3) | (b2 & c3)"
