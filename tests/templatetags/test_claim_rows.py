"""`{% claim_row %}` and `{% facet_options %}` write, byte for byte, what the templates they
replaced wrote (claim_row_reference.html here is the row template as it was), for rows of every
shape: dated or not, with or without wording, sources, copies, grade, status, contest, and
values that need escaping."""
import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from kb.models import Claim
from kb.selectors.claims import CitedSource, ClaimRow
from kb.templatetags.claim_rows import claim_row, facet_options

REFERENCE = (Path(__file__).parent / "claim_row_reference.html").read_text(encoding="utf-8")
NASTY = "<b>\"Tom\" & 'Jerry'</b> →"


def _claims():
    dates = [
        dict(date_edtf="", date_earliest=None, date_latest=None, date_wording=""),
        dict(date_edtf="2019-03", date_earliest=dt.date(2019, 3, 1), date_latest=dt.date(2019, 3, 31), date_wording=""),
        dict(date_edtf="2019/..", date_earliest=dt.date(2019, 1, 1), date_latest=None, date_wording="from 2019 <on>"),
        dict(date_edtf="0987", date_earliest=dt.date(987, 1, 1), date_latest=dt.date(987, 12, 31), date_wording=NASTY),
        dict(date_edtf="2023-10-07", date_earliest=dt.date(2023, 10, 7), date_latest=dt.date(2023, 10, 7),
             date_wording=""),
        dict(date_edtf="199X", date_earliest=dt.date(1990, 1, 1), date_latest=dt.date(1999, 12, 31), date_wording=""),
        dict(date_edtf="<odd>", date_earliest=None, date_latest=None, date_wording=""),
    ]
    for number, (dates_, status, credibility, contested) in enumerate(itertools.product(
            dates, ["published", "candidate", "retracted"], [None, 1, 6], [False, True]), start=1):
        claim = Claim(id=number, statement=f"Claim {number}: {NASTY}", status=status, credibility=credibility, **dates_)
        claim.contested = contested
        yield claim


SOURCES = [
    [],
    [CitedSource(1, "short", "A short title", "B")],
    [CitedSource(2, "long-one", "A title much longer than forty-eight characters, with <tags> & more", "A"),
     CitedSource(3, "odd_slug-9", NASTY, "F")],
]


# A search's results: the statement and a quote with the words marked (kb.rendering.mark_search_hits).
SEARCHED = [
    {},
    {"statement_html": mark_safe('A <mark class="hit">tunnel</mark> &amp; more')},
    {"quote_html": mark_safe('…the <mark class="hit">tunnels</mark>…'), "quote_source": SOURCES[2][1]},
]


def _rows():
    for claim, sources, (independent, copies), searched in itertools.product(
            _claims(), SOURCES, [(0, 0), (1, 1), (2, 3)], SEARCHED):
        best = min((s.reliability for s in sources), default="")
        yield ClaimRow(claim=claim, sources=sources, independent=independent, copies=copies,
                       grade=f"{best}{claim.credibility or ''}", tags=[], **searched)


def test_a_row_is_what_the_row_template_wrote():
    template = Template(REFERENCE)
    rows = list(_rows())
    assert len(rows) > 500
    for row in rows:
        assert claim_row(row) == template.render(Context({"row": row})), row


def test_a_contested_flag_that_was_never_set_is_not_shown():
    claim = Claim(id=1, statement="s", status="published")
    row = ClaimRow(claim=claim, sources=[], independent=0, copies=0, grade="", tags=[])
    assert claim_row(row) == Template(REFERENCE).render(Context({"row": row}))


@pytest.mark.parametrize("options", [[], [("a", "A", False)], [("x-1", NASTY, True), ("y", "Y & Z", False)]])
def test_facet_options_are_what_the_loop_wrote(options):
    loop = Template('{% for slug, title, on in options %}<option value="{{ slug }}"{% if on %} selected{% endif %}>'
                    "{{ title }}</option>{% endfor %}")
    assert facet_options(options) == loop.render(Context({"options": options}))
