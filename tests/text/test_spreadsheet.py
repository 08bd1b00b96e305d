"""CSV cells never start a spreadsheet formula."""
import pytest

from kb.text.spreadsheet import csv_cell


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                   "=cmd|' /C calc'!A0"])
def test_a_cell_that_would_run_as_a_formula_is_prefixed(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Iran gave $100M.", "2006-12", "", 42, None, " =not at the start"])
def test_other_cells_are_unchanged(value):
    assert csv_cell(value) == ("" if value is None else str(value))
