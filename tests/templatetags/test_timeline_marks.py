"""`{% timeline_ticks %}` and `{% timeline_bars %}` write, byte for byte, what the chart's two
template loops wrote (timeline_marks_reference.html here is those loops as they were), for
layouts of every shape: exact, vague and open-ended dates, contested claims, every grade,
statements that need escaping or truncating, spans of days to centuries."""
import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.template import Context, Template

from kb import timeline
from kb.models import Claim
from kb.templatetags.timeline_marks import timeline_bars, timeline_ticks

REFERENCE = (Path(__file__).parent / "timeline_marks_reference.html").read_text(encoding="utf-8")
NASTY = "<b>\"Tom\" & 'Jerry'</b> →"

DATES = [
    ("2019-03", dt.date(2019, 3, 1), dt.date(2019, 3, 31)),
    ("2019/..", dt.date(2019, 1, 1), None),
    ("../2001", None, dt.date(2001, 12, 31)),
    ("199X", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
    ("2023-10-07", dt.date(2023, 10, 7), dt.date(2023, 10, 7)),
    ("1948", dt.date(1948, 1, 1), dt.date(1948, 12, 31)),
]


def claims(dates):
    for number, ((edtf, earliest, latest), credibility, contested, statement) in enumerate(itertools.product(
            dates, [None, 1, 4, 6], [False, True], ["Short.", f"{NASTY} " * 40]), start=1):
        claim = Claim(id=number, statement=f"{number}: {statement}", date_edtf=edtf, date_earliest=earliest,
                      date_latest=latest, credibility=credibility, date_wording="")
        claim.contested = contested
        yield claim


@pytest.mark.parametrize("dates", [DATES, DATES[:1], DATES[3:4], DATES[4:]], ids=["centuries", "a month", "a decade", "decades"])
@pytest.mark.parametrize("width,lanes", [(800, 20), (1000, 60)])
def test_the_marks_are_the_template_byte_for_byte(db, dates, width, lanes):
    layout = timeline.layout(list(claims(dates)), width=width, max_lanes=lanes)
    assert layout.bars and layout.ticks
    expected = Template(REFERENCE).render(Context({"timeline": layout}))
    assert f"{timeline_ticks(layout)}\n{timeline_bars(layout)}\n" == expected
