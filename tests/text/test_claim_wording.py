"""What the claim rules read in words (kb/text/claim_wording.py); no database."""
import pytest

from kb.text.claim_wording import context_problem, generic_alias, same_speaker, statement_names_attribution


@pytest.mark.parametrize("a, b, same", [
    ("Iran's Supreme Leader Ayatollah Ali Khamenei", "Ali Khamenei", True),
    ("the Ministry", "Ministry", True),
    ("Mike Kelly", "the journalist Mike Kelly", True),
    ("a report", "a 2020 US Department of State report", False),  # no name: a kind of speaker, not one
    ("Zarghami", "Jafari", False),
    ("", "Jafari", False),
])
def test_same_speaker(a, b, same):
    assert same_speaker(a, b) is same


def test_statement_names_its_attribution():
    assert statement_names_attribution("An Israeli security source said funding rose.", ["an Israeli security source"])
    assert statement_names_attribution("According to the New York Times, Hamas waited.", ["The New York Times"])
    assert not statement_names_attribution("Funding rose to $350 million.", ["an Israeli security source"])


@pytest.mark.parametrize("wording, problem", [
    ("on Wednesday (resolved from context: 31 July 2024)", None),
    ("(resolved from context: June 2025)", "does not quote"),
    ("have been voiced (resolved from context: June 2025)", "does not quote"),
    ("last Friday (resolved from context)", "not in the cited text: last Friday"),
])
def test_a_date_from_context_quotes_words_that_say_when(wording, problem):
    text = "Haniyeh was assassinated on Wednesday in Tehran. Threats have been voiced."
    found = context_problem(wording, lambda words: words in text)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize("alias, generic", [
    ("the war", True), ("Hamas-led attack", True), ("Supreme Leader", True),
    ("2023 Gaza war", False), ("Islamic Resistance Movement", False), ("Kfar Darom", False),
])
def test_generic_alias(alias, generic):
    assert generic_alias(alias, {"hamas", "gaza"}) is generic
