"""The text around a quote shown as it reads, without wiki or Markdown markup; display only."""
import pytest

from kb.text.markup import plain
from kb.text.ranges import CONTEXT_CHARS, context, shown_after, shown_before


@pytest.mark.parametrize("marked, read", [
    ("===Gaza war===", "Gaza war"),
    ("==History==", "History"),
    ("'''Hamas''' and ''Iran''", "Hamas and Iran"),
    ("**Since the early 1990s**", "Since the early 1990s"),
    ("[[Islamic Republic of Iran|Iran]] and [[Hamas]]", "Iran and Hamas"),
    ("[https://example.org the report] says", "the report says"),
    ("[the report](https://example.org) says", "the report says"),
    ("* first item", "first item"),
    ("# Heading", "Heading"),
    ("said.<ref>{{cite web|title=x}}</ref> Then", "said. Then"),
    ("a {{cite|x={{date}}}} b", "a b"),
    ("5*3 and snake_case stay", "5*3 and snake_case stay"),
])
def test_markup_is_read_as_text(marked, read):
    assert plain(marked) == read


def test_constructs_cut_at_the_snippets_ends_are_read_too():
    assert plain("Republic of Iran|Iran]] funds") == "Iran funds"
    assert plain("funds [[Islamic Republic of Iran|Ir") == "funds Ir"
    assert plain("title=x}} funds {{cite web|url") == " funds "


def test_the_context_before_a_quote_is_its_own_paragraph_only():
    text = "The end of the last.\n\n===Gaza war===\nFollowing the war, [[Iran|the Islamic Republic]] has paid."
    start = text.index("paid")
    prefix, suffix = context(text, start, start + 4)
    assert text[start:start + 4] == "paid"  # the stored text and quote are untouched
    assert shown_before(prefix) == "Following the war, the Islamic Republic has "
    assert shown_after(suffix) == "."


def test_a_cut_paragraph_is_marked_with_an_ellipsis_at_whole_words():
    text = "Iran " + "gave Hamas money and " * 10 + "weapons, it is said, in the years before the war and after."
    start = text.index("weapons")
    prefix, suffix = context(text, start, start + len("weapons"))
    before, after = shown_before(prefix), shown_after(suffix)
    assert before.startswith("…") and before.endswith("and ") and len(before) <= 51
    assert before[1:].split(" ")[0] in {"gave", "Hamas", "money", "and"}  # a whole word
    assert after.endswith("…") and after[:-1].split(" ")[-1] in text.split(" ")


def test_a_quote_at_a_paragraphs_edges_has_no_ellipsis():
    text = "Heading\nIran paid.\nNext"
    start = text.index("Iran paid.")
    prefix, suffix = context(text, start, start + len("Iran paid."))
    assert shown_before(prefix) == "" and shown_after(suffix) == ""
    assert len(prefix) < CONTEXT_CHARS
