"""The exports' fast writers write exactly what the plain ones did (kb/exports.py,
kb/text/spreadsheet.py): JSON-LD items as json.dumps(indent=2) writes them, CSV cells as
csv_cell guards them."""
import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.exports import indented_json
from kb.text.spreadsheet import csv_cell, csv_cells

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
)


@settings(deadline=None)  # a shared machine: no timing in tests
@given(values, st.sampled_from(["", "  ", "    "]))
def test_indented_json_is_what_json_dumps_writes(value, indent):
    assert indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


def test_indented_json_keeps_json_dumps_keys_that_are_not_strings():
    for value in ({1: "a"}, {"a": {None: [1], "b": 2}}, {"x": {1.5: {}, True: []}}):
        assert indented_json(value, "  ") == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def _line(cells) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


@settings(deadline=None)
@given(st.lists(scalars | st.dates() | st.just("=HYPERLINK(1)") | st.just("-5") | st.just("@x"), max_size=12))
def test_csv_cells_are_written_as_csv_cell_guards_them(cells):
    assert _line(csv_cells(cells)) == _line([csv_cell(cell) for cell in cells])
