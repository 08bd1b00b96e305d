"""Atomic splitting, attribution and hedging cues, on sentences written for these tests."""
import pytest

from kb.extraction import atoms
from kb.extraction import attribution as attr
from kb.importing import structure as st
from kb.selectors.candidates import preview_candidates


def parts(sentence):
    return [sentence[a.start:a.end] for a in atoms.split(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("The council approves the budget and rejects the new tax.",
     ["The council approves the budget", "rejects the new tax."]),
    ("The army declared a curfew and mobilized 20,000 reservists.",
     ["The army declared a curfew", "mobilized 20,000 reservists."]),
    ("Three fishermen were rescued and a trawler was damaged by the waves.",
     ["Three fishermen were rescued", "a trawler was damaged by the waves."]),
    ("After the dam burst in 2011, the valley was evacuated for a month.",
     ["After the dam burst in 2011", "the valley was evacuated for a month."]),
    ("The river marks the border with Ruritania, which it has formed since 1921.",
     ["The river marks the border with Ruritania", "which it has formed since 1921."]),
    ("The talks are close to a deal, but the parties are not there yet.",
     ["The talks are close to a deal", "the parties are not there yet."]),
    ("The ferry carried 300 passengers and 40 cars across the strait.",  # a list of objects: one claim
     ["The ferry carried 300 passengers and 40 cars across the strait."]),
    ("Salt, pepper and cumin were traded.", ["Salt, pepper and cumin were traded."]),
])
def test_compound_sentences_split_into_contiguous_parts(sentence, expected):
    assert parts(sentence) == expected


def test_a_predicate_part_gets_the_subject_in_its_statement_and_keeps_its_exact_quote():
    sentence = "The council approves the budget and rejects the new tax."
    second = atoms.split(sentence)[1]
    assert atoms.statement(sentence, second) == "The council rejects the new tax."


def test_split_parts_are_proposed_with_their_own_dates(db):
    text = "On 3 May 2019, the port closed to tankers and reopened to ferries on 9 June 2019.\n"
    proposals = preview_candidates(text, st.parse(text, "plain"))
    assert [(p.quote, p.date_edtf) for p in proposals] == [
        ("On 3 May 2019, the port closed to tankers", "2019-05-03"),
        ("reopened to ferries on 9 June 2019.", "2019-06-09"),
    ]
    assert proposals[1].statement == "The port reopened to ferries on 9 June 2019."


@pytest.mark.parametrize("sentence, who", [
    ("“The dam will hold,” he noted.", "he"),  # the pronoun; the extractor resolves it
    ("The minister emphasized that the dam will hold.", "The minister"),
    ("The dam will hold, the engineer said, according to a correspondent.", "the engineer"),
    ("In the minister’s assessment, the dam will hold.", "the minister"),
    ("The dam was weakened by the floods, citing sources in the ministry.", "sources in the ministry"),
    ("The suspects’ confessions revealed that the dam was sabotaged.", "The suspects’ confessions"),
    ("Based on the court filing, the contractor skipped inspections.", "the court filing"),
    ("The valley flooded, the agency said in a statement on Friday.", "the agency"),
])
def test_attribution_cues(sentence, who):
    found = attr.find_attribution(sentence)
    assert found is not None and found.who == who


@pytest.mark.parametrize("sentence", [
    "The army declared war on the rebels.",  # an act, not a statement
    "The ministry announced new tariffs on steel.",
    "The dam was built in 1960 and holds 2 billion cubic metres.",
])
def test_no_attribution_where_nobody_is_quoted(sentence):
    assert attr.find_attribution(sentence) is None


def test_quote_then_pronoun_speaker_is_the_last_person_named(db):
    text = ('Engineer Maria Santos said the dam was inspected in March. '
            '“It will hold through the winter,” she noted.\n')
    proposals = preview_candidates(text, st.parse(text, "plain"))
    assert [p.attribution for p in proposals] == ["Engineer Maria Santos", "Engineer Maria Santos"]


@pytest.mark.parametrize("sentence", [
    "The reef is considered the largest in the region.",
    "The reef is considered by some to be the oldest.",
    "The reef has been called a natural wonder.",
    "An estimated 150 species live on the reef.",
    "The reef is expected to shrink by 2030.",
    "It was not immediately clear who damaged the reef.",
    "Divers damaged the reef, the paper reported, citing sources.",
    "Sources indicate that the reef is shrinking.",
    "Fishing fleets and reported dumping harm the reef.",
])
def test_hedging_cues(sentence):
    assert attr.hedges(sentence)


@pytest.mark.parametrize("sentence", [
    "The reef is 40 km long.",
    "The paper reported that the reef grew in 2020.",
    "Divers surveyed the reef in May.",
])
def test_plain_statements_are_not_hedged(sentence):
    assert attr.hedges(sentence) == []
