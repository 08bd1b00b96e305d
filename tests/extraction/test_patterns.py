"""Each extraction pattern of issue 10 on short texts written for these tests (never the gold texts):
page furniture, footnote markers, transcript speakers, dates resolved against the publication date."""
import pytest

from kb.extraction import boilerplate
from kb.extraction.dates import Reference, find_dates
from kb.importing import structure as st
from kb.selectors.candidates import preview_candidates


def preview(text, **metadata):
    return preview_candidates(text, st.parse(text, "plain"), metadata=metadata)


def quotes(proposals):
    return [p.quote for p in proposals]


def one(proposals, fragment):
    found = [p for p in proposals if fragment in p.quote]
    assert found, f"no candidate holds {fragment!r}: {quotes(proposals)}"
    return found[0]


NOW = Reference(2024, 1, 17, "publication date", now=True)  # a Wednesday


def dates(text, reference=NOW):
    return [m.edtf for m in find_dates(text, reference)]


# ---------------------------------------------------------------- furniture


@pytest.mark.parametrize("line, reason", [
    ("Tuesday, March 05, 2019", "dateline"),
    ("03/05/2019 10:15 AM EST", "dateline"),
    ("APRIL 2, 2022", "dateline"),
    ("JANE DOE, ASSISTANT SECRETARY", "byline"),
    ("By Jane Doe", "byline"),
    ("Posted By Sam Roe", "byline"),
    ("By |April 2nd, 2022|Politics, World|", "byline"),
    ("Office of the Press Secretary", "byline"),
    ("Jump to navigation Jump to search", "navigation"),
    ("HomeWorldRegional Ports Reopen", "navigation"),
    ("Chairman | Karl Brant |", "infobox"),
    ("Smith, Anna (4 June 2015). \"Port traffic doubles\". The Harbour Times. Retrieved 5 June 2015.", "reference-entry"),
    ("\"Annual shipping review\". Maritime Institute. Retrieved 2021-03-01.", "reference-entry"),
    ("Subscribe to our newsletter for the latest offers", "promo"),
])
def test_furniture_lines_are_named(line, reason):
    assert boilerplate.line_reason(line, alone=False) == reason


def test_a_run_of_key_value_lines_is_an_infobox_but_a_speaker_label_is_not():
    text = "Founded: 1921\nHeadquarters: Lyon, France\nMR SMITH: The port reopened.\n"
    found = boilerplate.furniture_lines(text, 0, len(text))
    assert [reason for _, _, reason in found] == ["infobox", "infobox"]


def test_furniture_is_never_proposed_and_the_prose_is(db):
    text = (
        "Harbour Reopens After Storm\n\n"
        "By Jane Doe\n\n"
        "Tuesday, March 05, 2019\n\n"
        "The northern harbour reopened to cargo ships on Monday after storm repairs costing 4 million euros.\n\n"
        "Ferries resumed a day later. (Reuters)\n"
    )
    found = quotes(preview(text, published="2019-03-05"))
    assert found == ["The northern harbour reopened to cargo ships on Monday after storm repairs costing 4 million euros."]


def test_a_wire_lead_and_publisher_tag_are_cut_and_date_the_report(db):
    text = ("(Coastal Wire Service) LISBON, June 3 (CWS) -- The port authority of Lisbon closed two terminals "
            "after a fire damaged the cranes.\n")
    proposal = one(preview(text, published="2022-06-04"), "port authority")
    assert proposal.quote.startswith("The port authority of Lisbon")
    assert proposal.date_edtf == "2022-06-03"


def test_a_teaser_date_after_a_caption_credit_is_a_dateline(db):
    text = ("Dock workers unload grain at the eastern pier on May 1, 2020. (AFP) June 9, 2020 The union of "
            "dock workers in Gdansk announced a strike over pay. The talks [...]\n")
    proposals = preview(text, published="2020-06-10")
    proposal = one(proposals, "union of dock workers")
    assert proposal.quote.startswith("The union") and proposal.date_edtf == "2020-06-09"
    assert not any("unload grain" in q for q in quotes(proposals))


def test_footnote_markers_split_glued_sentences_and_leave_statements(db):
    text = "The canal was widened in 2016.[5] The widening doubled its traffic by 2019.[6][7]\n"
    proposals = preview(text)
    first, second = one(proposals, "widened"), one(proposals, "doubled")
    assert first.quote == "The canal was widened in 2016."
    assert second.statement == "The widening doubled its traffic by 2019."
    assert "[" not in second.quote


# ---------------------------------------------------------------- transcripts and speakers


def test_transcript_speakers_attribute_their_words_and_questions_are_left_out(db):
    text = (
        "MS LANE: Good afternoon, everyone.\n\n"
        "QUESTION: Is the bridge deal done? Reporters were told it was signed.\n\n"
        "MS LANE: The bridge agreement was signed by both ministries yesterday. I won't get into the cost.\n\n"
        "The first crossing opens to traffic in the spring of next year, the Daily Courier reported.\n"
    )
    proposals = preview(text, published="2024-01-17")
    assert quotes(proposals) == [
        "The bridge agreement was signed by both ministries yesterday.",
        "The first crossing opens to traffic in the spring of next year, the Daily Courier reported.",
    ]
    signed, opens = proposals
    assert signed.attribution == "MS LANE" and signed.date_edtf == "2024-01-16"
    assert opens.attribution == "the Daily Courier"  # a named source in the sentence wins over the label


def test_an_attributable_to_line_names_the_speaker_of_the_readout(db):
    text = ("Readout of the Minister’s Call\n\nThe below is attributable to Spokesperson Alan Reed:\n"
            "Minister Ortiz spoke today with the mayor of Porto about flood relief.\n")
    proposal = one(preview(text, published="2021-02-03"), "Minister Ortiz")
    assert proposal.attribution == "Spokesperson Alan Reed"
    assert proposal.date_edtf == "2021-02-03"


# ---------------------------------------------------------------- dates against the publication date


@pytest.mark.parametrize("sentence, expected", [
    ("On Sunday, the ferry sank near the coast.", ["2024-01-14"]),
    ("The council voted Friday to close the mine.", ["2024-01-12"]),
    ("The council met today.", ["2024-01-17"]),
    ("The mine is currently closed.", ["2024-01-17"]),
    ("Prices have risen since 7 October.", ["2023-10-07/2024-01-17"]),  # the latest 7 October before publication
    ("The party has ruled since 2007.", ["2007/2024-01-17"]),
    ("The court convicted him last week.", ["2024-01-08/2024-01-14"]),
    ("The monarchy ruled prior to the 1952 revolution.", ["../1952"]),
    ("Exports fell following the 1952 revolution.", ["1952/2024-01-17"]),
    ("THE TALKS ENDED ON MARCH 3, 2021.", ["2021-03-03"]),
])
def test_relative_dates_resolve_against_the_publication_date(sentence, expected):
    assert dates(sentence) == expected


def test_the_october_7_attack_names_its_date_only_when_nothing_else_dates_the_sentence():
    assert dates("The October 7 attack killed hundreds.") == ["2023-10-07"]
    assert dates("Sanctions followed on 20 October 2023 after the October 7 attack.") == ["2023-10-20"]


def test_an_undated_present_tense_claim_takes_the_publication_date_and_a_past_one_the_passage_date(db):
    text = ("On Sunday, rebels shelled the port of Adentown. Two warehouses of the Adentown port burned. "
            "The port handles most of the grain imports.\n")
    proposals = preview(text, published="2024-01-17")
    assert one(proposals, "shelled").date_edtf == "2024-01-14"
    burned = one(proposals, "burned")
    assert (burned.date_edtf, burned.date_basis) == ("2024-01-14", "passage")
    handles = one(proposals, "handles")
    assert (handles.date_edtf, handles.date_basis) == ("2024-01-17", "publication")


def test_a_run_in_heading_glued_to_its_first_sentence_is_cut(db):
    text = "Climate, Trade, and Ports The harbour of Tolo doubled its grain exports in 2019.\n"
    (proposal,) = preview(text)
    assert proposal.quote == "The harbour of Tolo doubled its grain exports in 2019."


def test_a_capitalised_name_before_a_sentence_is_no_heading(db):
    text = "Minister Anna Berg said the harbour of Tolo doubled its grain exports in 2019.\n"
    (proposal,) = preview(text)
    assert proposal.quote.startswith("Minister Anna Berg")


@pytest.mark.parametrize("sentence, kept", [
    ("We should have some slides for you on this one.", False),
    ("As you have heard us say many times, nothing is settled.", False),
    ("Next, moving over to the budget.", False),
    ("You can see that the harbour of Tolo doubled its exports in 2019.", True),  # a figure: kept
])
def test_a_speaker_addressing_the_audience_is_not_a_claim(sentence, kept):
    from kb.extraction.checkable import rejection

    assert (rejection(sentence) is None) is kept
