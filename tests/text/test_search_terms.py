"""The words of a search found again in a result's text, to mark them (no database)."""
from kb.text.search_terms import query_terms, term_spans, terms_found, window


def test_terms_skip_stop_words_exclusions_and_repeats():
    assert query_terms('the tunnels of Gaza -Egypt or "Gaza tunnels"') == ["tunnel", "gaza"]
    assert query_terms("") == [] and query_terms("the of a") == []


def test_a_term_marks_words_it_starts_with_in_any_case():
    text = "Tunnel networks and tunnelled routes; Hamas's TUNNELS"
    assert [text[a:b] for a, b in term_spans(text, query_terms("tunnels"))] == ["Tunnel", "tunnelled", "TUNNELS"]
    assert term_spans("Hamas", query_terms("amas")) == []  # not inside a word


def test_figures_and_currency_are_found():
    text = "about $350M a year"
    assert [text[a:b] for a, b in term_spans(text, query_terms("$350M"))] == ["$350M"]


def test_terms_found_and_the_window_around_the_first_hit():
    assert terms_found("Iran funds Hamas", ["iran", "tunnel"]) == {"iran"}
    text = "word " * 100 + "tunnels " + "word " * 100
    spans = term_spans(text, ["tunnel"])
    start, end = window(text, spans, chars=100)
    assert start <= spans[0][0] and spans[0][1] <= end and end - start <= 100
    assert text[start - 1] == " " and text[end] == " "
