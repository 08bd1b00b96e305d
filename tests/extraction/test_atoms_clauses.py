"""Atomic parts for final subordinate clauses, relative clauses, quotations of several sentences
and coordinated dated parts; each on sentences written for these tests. The quote of each part
is the exact text; the statement may restore what the part leaves implicit."""
import pytest

from kb.extraction import atoms
from kb.importing import structure as st
from kb.selectors.candidates import preview_candidates


def parts(sentence):
    return [sentence[a.start:a.end] for a in atoms.split(sentence)]


def statements(sentence):
    return [atoms.statement(sentence, a) for a in atoms.split(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("The regional office was based in Tromsø until it was closed by the ministry in 2009.",
     ["The regional office was based in Tromsø", "until it was closed by the ministry in 2009."]),
    ("Exports of timber rose sharply in 2016 as demand from the coast grew.",
     ["Exports of timber rose sharply in 2016", "as demand from the coast grew."]),
    ("Patrol boats shelled the harbour at dawn after warning shots were fired at a trawler.",
     ["Patrol boats shelled the harbour at dawn", "after warning shots were fired at a trawler."]),
    ("The cooperative has run a seed bank since 1990 while serving as a lender to small farms.",
     ["The cooperative has run a seed bank since 1990", "while serving as a lender to small farms."]),
    ("The guild opposes the tariff, while the growers are split on it.",
     ["The guild opposes the tariff", "while the growers are split on it."]),
])
def test_a_final_subordinate_clause_is_its_own_part(sentence, expected):
    assert parts(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The treaty was signed after the war in a small town.",  # no clause after "after"
    "The league was founded as a charity for miners in 1910.",  # "as" a role, not a clause
    "The mayor left before the vote on the budget was taken.",  # too short a left side? no: a noun phrase after "before"
    "She served as a judge for the province after retiring.",  # a participle too short to stand alone
])
def test_a_preposition_or_a_short_participle_is_not_cut_off(sentence):
    if sentence.startswith("The mayor"):
        # "before the vote on the budget was taken": a clause with its own verb, so it is cut
        assert parts(sentence) == ["The mayor left", "before the vote on the budget was taken."]
    else:
        assert parts(sentence) == [sentence]


def test_the_conjunction_leaves_the_statement_of_a_clause_with_its_own_subject():
    sentence = "The regional office was based in Tromsø until it was closed by the ministry in 2009."
    assert statements(sentence) == ["The regional office was based in Tromsø.",
                                    "It was closed by the ministry in 2009."]
    participle = "The cooperative has run a seed bank since 1990 while serving as a lender to small farms."
    assert statements(participle)[1] == "While serving as a lender to small farms."


@pytest.mark.parametrize("sentence, expected, restated", [
    ("In 2012 the rebels launched an offensive against the capital that displaced 40,000 people.",
     ["In 2012 the rebels launched an offensive against the capital", "that displaced 40,000 people."],
     "An offensive against the capital displaced 40,000 people."),
    ("The bank is a lender to farmers, a cooperative founded in Oslo in 1911 that has branches in every county.",
     ["The bank is a lender to farmers, a cooperative founded in Oslo in 1911", "that has branches in every county."],
     "A cooperative founded in Oslo in 1911 has branches in every county."),
])
def test_a_relative_clause_with_its_own_verb_is_its_own_part_and_names_its_antecedent(sentence, expected, restated):
    assert parts(sentence) == expected
    assert statements(sentence)[1] == restated


@pytest.mark.parametrize("sentence", [
    "The minister said that the port would reopen in May.",  # a complement clause
    "The union wants a plan that would end the strike.",  # a modal: a proposal, not a fact
    "It is so cold that the river froze.",
    "They proposed a law that banned in-store sales.",  # "that banned in": a participle before its complement? no: kept whole
])
def test_complement_clauses_and_modal_relatives_stay_whole(sentence):
    if "banned" in sentence:
        assert parts(sentence) == ["They proposed a law", "that banned in-store sales."]
    else:
        assert parts(sentence) == [sentence]


def test_an_object_relative_keeps_its_pronoun_in_the_statement():
    sentence = "The river marks the border with Ruritania, which it has formed since 1921."
    assert statements(sentence)[1] == "Which it has formed since 1921."


def test_a_relative_part_followed_by_a_predicate_gives_it_the_antecedent():
    sentence = "In 2012 the rebels launched an offensive against the capital that displaced 40,000 people and destroyed the two bridges."
    assert statements(sentence)[1:] == ["An offensive against the capital displaced 40,000 people.",
                                        "An offensive against the capital destroyed the two bridges."]


def test_a_quotation_of_two_sentences_is_two_parts():
    sentence = ('The engineer told reporters: “The dam has three cracks near its base. '
                'The reservoir was lowered by two metres in June.”')
    assert parts(sentence) == [
        "The engineer told reporters: “The dam has three cracks near its base.",
        "The reservoir was lowered by two metres in June.”",
    ]


def test_both_sentences_of_a_quotation_keep_the_speaker(db):
    text = ('According to the water board, “The dam has three cracks near its base. '
            'The reservoir was lowered by two metres in June 2021.”\n')
    proposals = preview_candidates(text, st.parse(text, "plain"))
    assert [(p.quote, p.attribution) for p in proposals] == [
        ("According to the water board, “The dam has three cracks near its base.", "the water board"),
        ("The reservoir was lowered by two metres in June 2021.”", "the water board"),
    ]


def test_a_coordinated_part_with_a_date_of_its_own_gets_the_shared_frame():
    sentence = "The ministry listed the group as a charity on 4 May 2001, and as a party on 9 June 2005."
    assert parts(sentence) == ["The ministry listed the group as a charity on 4 May 2001",
                               "as a party on 9 June 2005."]
    assert statements(sentence)[1] == "The ministry listed the group as a party on 9 June 2005."


def test_a_part_without_a_date_of_its_own_takes_the_date_of_the_first_part(db):
    text = ("In March 2003 the trader was recorded at a hotel in Lyon while promising to move "
            "$2 million to the militia.\n")
    proposals = preview_candidates(text, st.parse(text, "plain"))
    assert [(p.quote, p.date_edtf) for p in proposals] == [
        ("In March 2003 the trader was recorded at a hotel in Lyon", "2003-03"),
        ("while promising to move $2 million to the militia.", "2003-03"),
    ]


def test_after_a_comma_the_relative_pronoun_refers_to_the_nearest_phrase():
    sentence = "The ministry froze the accounts with the help of Norway, which is also investigating the brokers."
    assert statements(sentence)[1] == "Norway is also investigating the brokers."
