"""What changed between two versions of a field, word by word."""
from kb.selectors import history


def test_word_diff_marks_what_changed():
    assert history.text_diff("Iran gave $30M a year.", "Iran gave $100M a year.") == [
        ("same", "Iran gave "), ("del", "$30M"), ("ins", "$100M"), ("same", " a year."),
    ]
