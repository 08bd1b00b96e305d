"""CSV cells that a spreadsheet will not run as formulas (OWASP's advice on CSV injection).

A cell starting with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe,
so `=HYPERLINK(...)` typed into a statement reaches a researcher's spreadsheet as text."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


_STARTS = frozenset(_FORMULA_STARTS)


def csv_cells(values) -> list:
    """`[csv_cell(v) for v in values]`, as csv.writer writes them, at a fraction of the cost
    (exports write millions of cells): a string that starts safely, a whole number that is not
    negative and None are handed on as they are (csv.writer writes None as an empty cell)."""
    return [value if ((value.__class__ is str and value[:1] not in _STARTS) or value is None
                      or (value.__class__ is int and value >= 0)) else csv_cell(value)
            for value in values]
