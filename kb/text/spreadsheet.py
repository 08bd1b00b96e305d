"""CSV cells that a spreadsheet will not run as formulas (OWASP's advice on CSV injection).

A cell starting with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe,
so `=HYPERLINK(...)` typed into a statement reaches a researcher's spreadsheet as text."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
