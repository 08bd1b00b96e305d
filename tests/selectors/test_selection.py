"""Selections of a source's words: verified against the text, from passage points, found by quote."""
import pytest
from django.core.exceptions import ValidationError
from kb.selectors.selection import selection_find, selection_from_points, selection_verify
from kb.models import Passage
from kb.text.ranges import visible_range
from tests.helpers import error_codes
from tests.factories import UNIQUE_PHRASE, article


def test_selection_verifies_quote_against_the_text(seeds):
    source = seeds["article"]
    start = source.text.index(UNIQUE_PHRASE)
    selection = selection_verify(source=source, start=start, end=start + len(UNIQUE_PHRASE), quote=UNIQUE_PHRASE)
    assert source.text[selection.start : selection.end] == selection.quote == UNIQUE_PHRASE
    assert source.text[: selection.start].endswith(selection.prefix) and len(selection.prefix) == 60
    assert source.text[selection.end :].startswith(selection.suffix)
    assert selection.passage.start <= start and selection.end <= selection.passage.end


@pytest.mark.parametrize("change", [
    {"quote": "Seven Israeli soldiers and two settlers were killed."},
    {"start": 1},
    {"end": 10**9},
    {"prefix": "not what precedes"},
    {"suffix": "not what follows"},
])
def test_selection_that_does_not_match_is_refused(seeds, change):
    source = seeds["article"]
    start = source.text.index(UNIQUE_PHRASE)
    args = {"source": source, "start": start, "end": start + len(UNIQUE_PHRASE), "quote": UNIQUE_PHRASE, **change}
    with pytest.raises(ValidationError) as caught:
        selection_verify(**args)
    assert error_codes(caught.value) & {"quote_mismatch", "invalid_range", "context_mismatch"}


def test_selection_from_passage_points_counts_shown_text(seeds):
    source = seeds["article"]
    passage = Passage.objects.filter(source=source, kind="paragraph").order_by("order")[2]
    first, _ = visible_range(source.text, passage.start, passage.end)
    selection = selection_from_points(source=source, start_point=f"{passage.anchor}:4", end_point=f"{passage.anchor}:30")
    assert (selection.start, selection.end) == (first + 4, first + 30)
    with pytest.raises(ValidationError) as caught:
        selection_from_points(source=source, start_point=f"{passage.anchor}:4", end_point=f"{passage.anchor}:30", quote="other words")
    assert error_codes(caught.value) == {"quote_mismatch"}
    with pytest.raises(ValidationError) as caught:
        selection_from_points(source=source, start_point="p-9999:0", end_point="p-9999:3")
    assert error_codes(caught.value) == {"unknown_passage"}


def test_finding_a_quote_tolerates_white_space_and_names_ambiguity(seeds):
    source = seeds["article"]
    found = selection_find(source=source, quote="Seven  Israeli\nsoldiers and one settler were killed.")
    assert found.quote == UNIQUE_PHRASE
    with pytest.raises(ValidationError) as caught:
        selection_find(source=source, quote="Hamas")
    assert error_codes(caught.value) == {"quote_ambiguous"}
    assert selection_find(source=source, quote="Hamas", occurrence=2).start > selection_find(source=source, quote="Hamas", occurrence=1).start
    with pytest.raises(ValidationError) as caught:
        selection_find(source=source, quote="words that are nowhere in it")
    assert error_codes(caught.value) == {"quote_not_found"}


def test_a_selection_sent_with_crlf_line_endings_matches_the_stored_text(seeds):
    source = article()
    start = source.text.index("Relations between Iran and Hamas strengthened")
    end = source.text.index(".", start) + 1
    before, after = source.text[max(start - 60, 0) : start], source.text[end : end + 60]
    assert "\n" in before
    crlf = lambda value: value.replace("\n", "\r\n")  # noqa: E731 (what a browser's form sends)
    selection = selection_verify(source=source, start=start, end=end, quote=crlf(source.text[start:end]),
                                 prefix=crlf(before), suffix=crlf(after))
    assert (selection.start, selection.end, selection.prefix) == (start, end, before)
    assert selection_find(source=source, quote=crlf(source.text[start:end])).start == start
