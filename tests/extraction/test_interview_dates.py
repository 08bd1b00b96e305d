"""A year that dates an interview is not the date of what the interviewee describes; on
sentences written for these tests."""
import pytest

from kb.extraction.dates import find_dates
from kb.importing import structure as st
from kb.selectors.candidates import preview_candidates


def dated(text):
    (proposal,) = preview_candidates(text, st.parse(text, "plain"))
    return proposal.date_edtf, proposal.date_basis


@pytest.mark.parametrize("sentence", [
    "In a 2019 interview, the former engineer said the dam had been sabotaged.\n",
    "The former engineer said in an interview in 2019 that the dam had been sabotaged.\n",
    "In his 2019 memoir, the former engineer wrote that the dam had been sabotaged.\n",
])
def test_what_an_interviewee_describes_happened_by_the_interview_not_in_its_year(db, sentence):
    assert dated(sentence) == ("../2019", "explicit")


def test_a_date_of_its_own_wins_over_the_interviews(db):
    text = "In a 2019 interview, the former engineer said the dam was sabotaged in March 2011.\n"
    assert dated(text) == ("2011-03", "explicit")


def test_the_interview_date_still_dates_what_holds_at_the_time(db):
    text = "In a 2019 interview, the minister said the ministry funds four dams.\n"
    assert dated(text)[0] == "2019"


def test_a_year_that_is_no_interviews_date_is_left_alone():
    (mention,) = find_dates("The 2019 flood destroyed the dam, the engineer said.")
    assert (mention.edtf, mention.kind) == ("2019", "explicit")
    (mention,) = find_dates("In a 2019 report, the agency counted 40 dams.")
    assert mention.kind == "explicit"
