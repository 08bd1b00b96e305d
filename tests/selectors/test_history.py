"""What changed between two versions of a field, word by word."""
from kb.selectors import history


def test_word_diff_marks_what_changed():
    assert history.text_diff("Iran gave $30M a year.", "Iran gave $100M a year.") == [
        ("same", "Iran gave "), ("del", "$30M"), ("ins", "$100M"), ("same", " a year."),
    ]


def test_a_reworded_phrase_is_one_change_not_interleaved_words():
    assert history.text_diff("the quick brown fox jumps", "the slow red fox leaps") == [
        ("same", "the "), ("del", "quick brown fox jumps"), ("ins", "slow red fox leaps"),
    ]
    # Far-apart changes stay apart.
    pieces = history.text_diff("one two three four five six seven", "ONE two three four five six SEVEN")
    assert [op for op, _ in pieces] == ["del", "ins", "same", "del", "ins"]


def test_a_change_repeated_is_shown_once():
    import datetime as dt

    def entry(minute, who="eddie", reason=""):
        return history.HistoryEntry(dt.datetime(2024, 1, 1, 0, minute), who, "claim", 1, "changed", reason,
                                    [history.FieldChange("statement", "statement", "a", "b")])

    kept = history.once([entry(3), entry(2), entry(1, reason="other")])
    assert [e.when.minute for e in kept] == [3, 1]
