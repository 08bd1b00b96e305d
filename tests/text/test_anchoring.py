"""Placing a range of an old text in a new one, without the database."""
from kb.text.anchoring import TextMap, place


def test_textmap_maps_unchanged_stretches_and_estimates_changed_ones():
    old = "alpha line\nbeta line\ngamma line\n"
    new = "alpha line\nBETA LINE CHANGED\ngamma line\n"
    mapping = TextMap(old, new)
    assert mapping.exact(0) == 0
    assert mapping.exact(old.index("gamma")) == new.index("gamma")
    assert mapping.exact(old.index("beta")) is None
    low, high = mapping.window(old.index("beta"), old.index("gamma"), pad=0)
    assert new[low:high].startswith("BETA LINE CHANGED")


def test_place_orphans_an_empty_or_vanished_quote():
    mapping = TextMap("one two three\n", "four five six\n")
    assert place(mapping, start=0, end=3, quote="one").method == "orphaned"
    assert place(mapping, start=0, end=0, quote="").method == "orphaned"


def test_place_handles_long_texts():
    # Its time is measured by scripts/bench_hostile.py, outside the suite.
    paragraph = "Iran provides funds, weapons and training to the group, officials said. "
    old = "\n\n".join(f"[{n}] {paragraph * 3}" for n in range(20000))
    new = old.replace("[7777] Iran provides funds", "[7777] Iran gives funds", 1)
    mapping = TextMap(old, new)
    start = old.index("[7777] Iran provides funds")
    end = old.index("said.", start) + 5
    placed = place(mapping, start=start, end=end, quote=old[start:end])
    far = old.index("[19999] Iran")
    kept = place(mapping, start=far, end=far + 30, quote=old[far : far + 30])
    assert placed.method == "fuzzy" and new[placed.start : placed.end] == "[7777] Iran gives funds, weapons and training to the group, officials said."
    assert kept.method == "position"
