"""EDTF event dates: the range each value covers, and values refused with their code."""
import datetime as dt
import pytest
from kb.text.dates import parse_event_date


@pytest.mark.parametrize(
    "value, earliest, latest",
    [
        ("2006-12", dt.date(2006, 12, 1), dt.date(2006, 12, 31)),
        ("1990/1993", dt.date(1990, 1, 1), dt.date(1993, 12, 31)),
        ("199X", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
        ("2024-07-31", dt.date(2024, 7, 31), dt.date(2024, 7, 31)),
        ("1990/..", dt.date(1990, 1, 1), None),
        ("../2004", None, dt.date(2004, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("198X/199X", dt.date(1980, 1, 1), dt.date(1999, 12, 31)),
        ("2023-09/2023-10-06", dt.date(2023, 9, 1), dt.date(2023, 10, 6)),
        ("19XX", dt.date(1900, 1, 1), dt.date(1999, 12, 31)),
        ("1990~/1993?", dt.date(1990, 1, 1), dt.date(1993, 12, 31)),
        ("2015-21", dt.date(2015, 3, 1), dt.date(2015, 5, 31)),
    ],
)
def test_edtf_ranges(value, earliest, latest):
    parsed = parse_event_date(value)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)


@pytest.mark.parametrize("value", ["2023-02-29", "2024-13", "2024-07-32", "sometime", "2020/2010", "../.."])
def test_invalid_edtf_is_refused(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        parse_event_date(value)
    assert error.value.code in {"invalid_edtf", "reversed_edtf"}
