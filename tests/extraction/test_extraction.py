"""Candidate claims proposed by an import: sentences, dates, attribution, hedging, entities,
credibility, matching published claims, and the score against the curated seeds."""

import pytest

from kb.extraction import attribution as attr
from kb.extraction.checkable import rejection
from kb.extraction.dates import Reference, envelope, find_dates
from kb.extraction.entities import EntityIndex


def edtf(text, reference=None):
    found = envelope(find_dates(text, reference))
    return found[0] if found else None


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("sentence, expected", [
    ("After Israel assassinated Ayyash on 5 January 1996, Deif organised a campaign.", "1996-01-05"),
    ("The meeting on February 8, 2025 confirmed the ties.", "2025-02-08"),
    ("During a December 2006 visit to Tehran, Iran pledged $250 million.", "2006-12"),
    ("In 2000, families of the victims filed a lawsuit.", "2000"),
    ("During the 2008–2009 Gaza War, missiles were used.", "2008/2009"),
    ("Between 2005 and 2007 the support grew.", "2005/2007"),
    ("Relations were close in the 1990s.", "199X"),
    ("Ties deepened in the 1980s–1990s.", "198X/199X"),
    ("During the early 1990s, a delegation visited Tehran.", "1990/1993"),
    ("In the mid-1990s the office opened.", "1994/1996"),
    ("By late 2023 the tunnels were finished.", "2023-09/2023-12"),
    ("Since the early 1990s, Iran has sponsored Hamas.", "1990/.."),
    ("As of 2023, funding had increased.", "2023"),
    ("Fighting on 5–7 January 1996 killed many.", "1996-01-05/1996-01-07"),
])
def test_explicit_dates_become_edtf(sentence, expected):
    assert edtf(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Iran gave $350 million a year.",
    "Palestinian militants killed 1,200 Israelis.",
    "There are 2000 fighters and 240 mm rockets with a range of 1500 km.",
    "Officials may meet again.",
])
def test_numbers_and_modals_are_not_dates(sentence):
    assert edtf(sentence) is None


def test_relative_dates_resolve_from_the_nearest_explicit_date():
    # "on Wednesday" after a day-precise date: the Wednesday on or before it.
    assert edtf("He was killed on Wednesday.", Reference(2024, 7, 31)) == "2024-07-31"
    assert edtf("He was killed on Wednesday.", Reference(2024, 8, 2)) == "2024-07-31"
    # known to the month only: the month, not an invented day
    assert edtf("He was killed on Wednesday.", Reference(2024, 7)) == "2024-07"
    assert edtf("The office opened the following year.", Reference(1990)) == "1991"
    assert edtf("Funding grew last year.", Reference(2020)) == "2019"
    assert edtf("A mural appeared in mid-October.", Reference(2024, 8)) == "2024-10-11/2024-10-20"
    assert edtf("It gave the green light on 2 October.", Reference(2023)) == "2023-10-02"
    # within the sentence, an explicit date is the reference for what follows it
    assert edtf("The attack of 7 October 2023 was approved on 2 October.") == "2023-10-02/2023-10-07"
    # "the October 7 attacks" names an event; it is not the date of the sentence
    assert edtf("Sinwar was killed in mid-October, after the October 7 attacks.", Reference(2024)) == \
        "2024-10-11/2024-10-20"
    # without any reference a relative expression is left undated rather than guessed
    assert edtf("The office opened the following year.") is None


# ---------------------------------------------------------------- attribution and hedging


@pytest.mark.parametrize("sentence, who, anonymous", [
    ("According to a 2020 US Department of State report, Iran provides $100 million.",
     "a 2020 US Department of State report", False),
    ("As of 2023, according to an Israeli security source, funding rose to $350 million.",
     "an Israeli security source", True),
    ("According to Mike Kelly, Hassan Salameh was trained in Iran.", "Mike Kelly", False),
    ("In 2021 senior Hamas representative to Lebanon, Ahmad Abd al-Hadi said that tunnels exist.",
     "senior Hamas representative to Lebanon, Ahmad Abd al-Hadi", False),
    ("As early as 2015, The Sunday Telegraph reported that Iran was funding rockets.",
     "The Sunday Telegraph", False),
    ("The attack was planned in Tehran, officials said.", "officials", True),
    ("Iran funds the group, according to a report by the RAND Corporation.",
     "a report by the RAND Corporation", False),
    ("According to a report, the minister instructed his commander.", "a report", True),
])
def test_attribution_names_who_said_it(sentence, who, anonymous):
    found = attr.find_attribution(sentence)
    assert (found.who, found.anonymous) == (who, anonymous)


@pytest.mark.parametrize("sentence", [
    "The scale of the commitment is well-documented by international reports.",
    "While the U.S. has not announced an operation, the risk grows.",
    "Iran cannot directly provide weapons to Gaza.",
])
def test_no_attribution_where_nobody_speaks(sentence):
    assert attr.find_attribution(sentence) is None


@pytest.mark.parametrize("sentence, cue", [
    ("Iran then committed, with reportedly $30 million per year.", "reportedly"),
    ("The weapons were allegedly smuggled through Sudan.", "allegedly"),
    ("It has been alleged that both Syria and Iran helped.", "it has been alleged"),
    ("The group may have received training in Iran.", "may"),
    ("Iran might increase its support.", "might"),
    ("This suggests a broader strategic alignment.", "suggests"),
    ("As of 2023, according to a source, funding rose.", "according to a source"),
])
def test_hedging_cues_are_found(sentence, cue):
    assert cue in attr.hedges(sentence)


def test_month_may_and_plain_statements_are_not_hedged():
    assert attr.hedges("In May 2020 Iran sent $30 million to Hamas.") == []
    assert attr.hedges("Iran has remained a key patron of Hamas.") == []


# ---------------------------------------------------------------- entities


def test_entities_match_names_and_aliases_on_word_boundaries():
    index = EntityIndex([
        ("iran", "Iran", ["Islamic Republic of Iran", "Iranian"]),
        ("united-states", "United States", ["US", "U.S."]),
        ("hamas", "Hamas", []),
    ])
    text = "The Islamic Republic of Iran and the U.S. differ; Iranian aid reached Hamas's wing, not us."
    found = index.find(text)
    assert [(m.slug, m.surface) for m in found] == [
        ("iran", "Islamic Republic of Iran"), ("united-states", "U.S."), ("iran", "Iranian"), ("hamas", "Hamas"),
    ]
    # short aliases are case-sensitive; longer names are not; no match inside a word
    assert index.slugs("they told us about hamas") == []
    assert index.slugs("the united states and the IRANIANS") == ["united-states"]
    assert index.slugs("Iranshahr is a city") == []


def test_new_capitalised_names_are_proposed():
    index = EntityIndex([("hamas", "Hamas", []), ("iran", "Iran", ["Iranian"])])
    text = ("A delegation from Hamas, headed by Mousa Abu Marzouk, met Iranian Minister of "
            "Intelligence Ali Fallahian at Tehran's Palestine Square.")
    assert index.new_names(text) == ["Mousa Abu Marzouk", "Ali Fallahian", "Palestine Square"]


# ---------------------------------------------------------------- what is not a candidate


@pytest.mark.parametrize("sentence, reason", [
    ("What was Iran's role in the October 7 attacks on Israel?", "question"),
    ("Do you believe Iran's influence on Hamas will continue to grow?", "question"),
    ("We invite you to share your thoughts on this relationship in the comments below.", "call-to-action"),
    ("For more insights into Middle Eastern geopolitics, follow our latest updates here.", "call-to-action"),
    ("Subscribe to our newsletter for weekly analysis.", "call-to-action"),
    ("In this article, we will explore the ties between Iran and Hamas.", "meta"),
    ("This episode is crucial for understanding the nuances of the alliance.", "meta"),
    ("This distinction is critical.", "rhetoric"),
    ("I won't go into details on this.", "rhetoric"),
])
def test_questions_calls_to_action_meta_and_rhetoric_are_not_candidates(sentence, reason):
    assert rejection(sentence) == reason


def test_reported_questions_are_statements():
    assert rejection("He said to them: 'Why are you sitting idly by?'") is None


# ---------------------------------------------------------------- matching published claims


# ---------------------------------------------------------------- storing candidates


# ---------------------------------------------------------------- the score


