"""The one call-to-action vocabulary (kb.text.cues), and that the importer and the extractor
both go by it. No database."""
import pytest

from kb.extraction.checkable import rejection
from kb.importing import structure as st
from kb.text.cues import is_call_to_action

FACTS = [
    "The figure was first published in the IRGC newsletter in March 2021.",
    "Register of weapons was kept by the IRGC in 2019.",
    "Iran refused to sign up to the 2015 arms agreement, officials said.",
    "Analysts who read more of the 2019 cables found three further payments to Hamas.",
    "Several Hamas leaders subscribe to the doctrine of armed resistance, according to the 2017 charter.",
    "Follow-up talks between Hamas and Iranian officials were held in Tehran in 2019.",
    "He asked for more information about the shipment seized in 2014.",
    "Subscribers to the Hamas newsletter received the statement on 3 May 2017.",
    "Read receipts showed the message was opened in Beirut in 2020.",
]

CALLS = [
    "Subscribe to our newsletter for updates.",
    "Sign up now",
    "Sign up now!",
    "Read more:",
    "Read more about Iran and Hamas",
    "Follow our latest updates",
    "Leave a comment below",
    "Please register for the webinar.",
    "Register now.",
    "Click here to download the report.",
    "Don't miss our weekly briefing.",
    "- Share this article",
    "We invite you to share your thoughts on this relationship in the comments below.",
    "For more insights into Middle Eastern geopolitics, follow our latest updates here.",
    "For more information on this designation, see Treasury’s press release.",
    "Let us know what you think.",
]


@pytest.mark.parametrize("sentence", FACTS)
def test_a_word_inside_a_factual_sentence_is_not_a_cue(sentence):
    assert not is_call_to_action(sentence)


@pytest.mark.parametrize("sentence", CALLS)
def test_stock_phrases_and_imperative_openers_are_calls_to_action(sentence):
    assert is_call_to_action(sentence)


def test_reported_speech_is_not_the_documents_own_call():
    assert not is_call_to_action("“Follow us to Jerusalem,” the commander told the crowd in 2021.")


@pytest.mark.parametrize("sentence", FACTS)
def test_the_extractor_keeps_factual_sentences(sentence):
    assert rejection(sentence) != "call-to-action"


@pytest.mark.parametrize("sentence", CALLS)
def test_the_extractor_drops_calls_to_action(sentence):
    assert rejection(sentence) == "call-to-action"


def _boilerplate(text):
    structure = st.parse(text, "plain")
    return [text[b.start : b.end] for b in structure.blocks if b.kind == st.BOILERPLATE]


LEAD = "Iran has funded Hamas since the early 1990s, providing weapons and training to its fighters. "


@pytest.mark.parametrize("sentence", FACTS)
def test_the_importer_keeps_a_paragraph_ending_in_a_fact(sentence):
    assert _boilerplate(LEAD + sentence + "\n") == []


def test_the_importer_sets_apart_a_closing_call_to_action():
    text = LEAD + "Subscribe to our newsletter for updates. Do you agree? Leave a comment below.\n"
    assert _boilerplate(text) == ["Subscribe to our newsletter for updates. Do you agree? Leave a comment below."]
