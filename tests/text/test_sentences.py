"""kb.text.sentences: the rule-based sentence splitter. No database.

Each case is a short text of its own; the splitter must give the sentences as exact ranges of
the text it was given (offsets into the whole text, not into a copy).
"""
import pytest

from kb.text.sentences import sentences


def split(text: str, start: int = 0, end: int | None = None) -> list[str]:
    spans = sentences(text, start, len(text) if end is None else end)
    for s, e in spans:  # exact offsets: trimmed, inside the range asked for
        assert text[s:e] == text[s:e].strip() and text[s:e]
    return [text[s:e] for s, e in spans]


def test_plain_sentences_split_at_full_stops_questions_and_exclamations():
    assert split("The port reopened in May. Ships came back! Was it safe? Nobody said.") == [
        "The port reopened in May.", "Ships came back!", "Was it safe?", "Nobody said."]


def test_offsets_are_the_texts_own_inside_a_larger_text():
    text = "Heading\n\n  The mill closed. Its workers left.  \n\nNext passage."
    start = text.index("  The")
    end = text.index("\n\nNext")
    spans = sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == ["The mill closed.", "Its workers left."]
    assert spans[0][0] == text.index("The mill")


@pytest.mark.parametrize("text", [
    "Mr. Okafor met Dr. Lindqvist and Gen. Ramirez in the capital.",
    "Prof. Adeyemi and Sen. Walsh spoke at St. Mary's hall.",
    "The U.S. Department of Agriculture and the U.N. Security Council disagreed.",
    "George W. Bush and J. R. R. Tolkien are both cited in the essay.",
    "The ferry left on Jan. 5, 2021 and returned on Feb. 2.",
    "See No. 12 and pp. 40 in the annex for the figures.",
    "Growth was 3.5 percent in 2019 and 2.75 percent in 2020.",
    "The board met at 10 a.m. on Tuesday, i.e. before the vote.",
    "Executive Order (E.O.) 13224 applies here.",
    "The rebels, etc. and the army, vs. the militia, clashed twice.",
])
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(text):
    assert split(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("The company moved to the U.S. The move cost jobs.", ["The company moved to the U.S.", "The move cost jobs."]),
    ("She works for Norbeck Inc. It makes pumps.", ["She works for Norbeck Inc.", "It makes pumps."]),
    ("They sold grain, salt, etc. The rest was kept.", ["They sold grain, salt, etc.", "The rest was kept."]),
    ("The talks ended at 4 p.m. Nothing was signed.", ["The talks ended at 4 p.m.", "Nothing was signed."]),
])
def test_an_abbreviation_closes_a_sentence_when_the_next_word_opens_one(text, expected):
    assert split(text) == expected


def test_quotations_and_parentheses_hold_their_sentences():
    text = ('The minister said: “The dam is safe. Nobody will be moved.” The villagers left anyway. '
            'The report (see the annex. It is long.) was delayed.')
    assert split(text) == [
        "The minister said: “The dam is safe. Nobody will be moved.”",
        "The villagers left anyway.",
        "The report (see the annex. It is long.) was delayed.",
    ]


def test_a_closing_quote_after_the_full_stop_stays_with_its_sentence():
    text = '"We will rebuild the bridge." The mayor said so twice. "When?" she asked.'
    assert split(text) == ['"We will rebuild the bridge."', "The mayor said so twice.", '"When?" she asked.']


def test_footnote_markers_stay_with_the_sentence_they_close():
    text = "The canal opened in 1869.[4] It shortened the route.12 Traffic doubled.[5][6] Version 2.10 The end."
    assert split(text) == [
        "The canal opened in 1869.[4]", "It shortened the route.12", "Traffic doubled.[5][6]",
        "Version 2.10 The end.",
    ]


def test_line_breaks_end_sentences_and_a_numbered_point_is_not_a_sentence():
    text = "Key findings\n1. The river flooded twice.\n2. The levee held."
    assert split(text) == ["Key findings", "1. The river flooded twice.", "2. The levee held."]


def test_an_ellipsis_ends_a_sentence_but_an_elision_in_brackets_does_not():
    assert split("He waited... Then the rain came.") == ["He waited...", "Then the rain came."]
    assert split("MR LANE: [...] Next, the budget rose.") == ["MR LANE: [...] Next, the budget rose."]


def test_a_photo_credit_opening_a_sentence_is_cut_off():
    assert split("Troops crossed the river. (AFP) March 2, 2020 A court convicted two men.") == [
        "Troops crossed the river.", "(AFP)", "March 2, 2020 A court convicted two men."]


def test_bold_markers_after_a_full_stop_stay_with_their_sentence():
    assert split("**The fund grew fast.** Its manager left.") == ["**The fund grew fast.**", "Its manager left."]


def test_a_long_paragraph_is_split_in_linear_time_without_losing_a_character():
    sentence = "The council approved the budget of the U.S. Forest Service on Jan. 4, 2021. "
    text = sentence * 3000
    spans = sentences(text, 0, len(text))
    assert len(spans) == 3000
    assert "".join(text[s:e] + " " for s, e in spans) == text


def test_a_list_mark_in_parentheses_is_no_credit():
    assert split("(A) The first option is a new levy.") == ["(A) The first option is a new levy."]
