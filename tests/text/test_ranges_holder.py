"""kb.text.ranges.holder: which of a row of ranges holds a position. No database."""
import pytest

from kb.text.ranges import holder, visible_range

STARTS = [0, 10, 25]


@pytest.mark.parametrize("position, expected", [(0, 0), (9, 0), (10, 1), (24, 1), (25, 2), (10_000, 2)])
def test_the_last_range_starting_at_or_before_the_position_holds_it(position, expected):
    assert holder(STARTS, position) == expected


def test_nothing_holds_a_position_before_the_first_range():
    assert holder([5, 9], 4) is None
    assert holder([], 0) is None


def test_visible_range_trims_whitespace_only():
    assert visible_range("  a b \n", 0, 7) == (2, 5)
    assert visible_range("   ", 0, 3) == (3, 3)
