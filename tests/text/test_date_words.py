"""A claim's date as readers see it: in words and as a range, from its EDTF date alone."""
import pytest

from kb.text.date_words import date_words, day_range
from kb.text.dates import parse_event_date


def shown(edtf: str) -> str:
    date = parse_event_date(edtf)
    return str(date_words(edtf, date.earliest, date.latest))


@pytest.mark.parametrize("edtf, words", [
    ("2023-10-07", "7 October 2023"),
    ("2023-10", "October 2023 (1–31 Oct 2023)"),
    ("2023", "2023"),
    ("2005/2007", "between 2005 and 2007"),
    ("1990~", "about 1990"),
    ("1990?", "possibly 1990"),
    ("1990%", "possibly about 1990"),
    ("199X", "the 1990s (1990–1999)"),
    ("19XX", "the 1900s (1900–1999)"),
    ("1990~/..", "from about 1990 on"),
    ("../2004", "until 2004"),
    ("2023-10-07/2023-10-09", "7–9 October 2023"),
    ("2006-12/2007-02", "between December 2006 and February 2007 (1 Dec 2006 – 28 Feb 2007)"),
    ("2023-21", "spring 2023 (1 Mar – 31 May 2023)"),
    ("2024-02", "February 2024 (1–29 Feb 2024)"),
])
def test_a_date_in_words_and_as_a_range(edtf, words):
    assert shown(edtf) == words


def test_an_undated_claim_has_no_date():
    assert date_words("") is None and date_words("  ") is None


def test_an_edtf_it_cannot_word_is_shown_as_it_is_with_its_range():
    date = parse_event_date("{2001,2003}")
    described = date_words("{2001,2003}", date.earliest, date.latest)
    assert described.words == "{2001,2003}" and described.range == "2001–2003"


def test_ranges_say_only_what_the_days_add():
    import datetime as dt
    assert day_range(dt.date(2023, 10, 7), dt.date(2023, 10, 7)) == ""
    assert day_range(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == ""
    assert day_range(dt.date(2023, 3, 5), dt.date(2023, 4, 2)) == "5 Mar – 2 Apr 2023"
    assert day_range(dt.date(1990, 1, 1), None) == "from 1 Jan 1990"
    assert day_range(None, dt.date(2004, 12, 31)) == "until 31 Dec 2004"
