"""`{% reader_cards %}` writes, byte for byte, what the reader's card template wrote
(reader_cards_reference.html here is that template as it was), for highlights of every shape:
candidate or not, graded or not, contested, dated in each way, quotes that need quoting and
escaping, on a current or an older version, for each set of rights."""
import datetime as dt
import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from kb.selectors.sources import HighlightedClaim
from kb.templatetags.reader_cards import reader_cards

REFERENCE = (Path(__file__).parent / "reader_cards_reference.html").read_text(encoding="utf-8")
NASTY = "<b>\"Tom\" & 'Jerry'</b> → 50% ?a=1#x"

DATES = [
    ("", None, None),
    ("2019-03", dt.date(2019, 3, 1), dt.date(2019, 3, 31)),
    ("2019/..", dt.date(2019, 1, 1), None),
    ("199X", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
    ("2023-10-07", dt.date(2023, 10, 7), dt.date(2023, 10, 7)),
]


def highlights():
    for number, ((edtf, earliest, latest), status, credibility, contested, quote) in enumerate(itertools.product(
            DATES, ["published", "candidate"], [None, 1, 4, 6], [False, True], ["plain words", NASTY]), start=1):
        yield HighlightedClaim(
            citation_id=1000 + number, claim_id=number, start=number * 10, end=number * 10 + len(quote), quote=quote,
            statement=f"Claim {number}: {NASTY}", status=status, credibility=credibility, date_wording="",
            date_edtf=edtf, date_earliest=earliest, date_latest=latest, contested=contested,
        )


def reference(rows, source, can) -> str:
    return Template(REFERENCE).render(Context({"highlights": rows, "source": source, "can": can}))


@pytest.mark.parametrize("current", [True, False])
@pytest.mark.parametrize("new_claim,annotate", [(False, False), (True, False), (False, True), (True, True)])
def test_the_cards_are_the_template_byte_for_byte(db, current, new_claim, annotate):
    rows = list(highlights())
    source = SimpleNamespace(slug="a-source_9", is_current=current)
    can = {"new_claim": new_claim, "annotate": annotate}
    written = reader_cards(rows, source, can)
    assert written.count('class="hl-card"') == len(rows) == 160
    assert written.strip() == reference(rows, source, can).strip()


def test_no_highlights_write_nothing(db):
    source = SimpleNamespace(slug="a-source", is_current=True)
    assert reader_cards([], source, {"new_claim": True, "annotate": True}) == ""
    assert reference([], source, {}).strip() == ""


def test_the_links_under_a_passage_are_the_template_byte_for_byte(db):
    from kb.templatetags.reader_cards import cited_links

    template = Template("{% for c in cited %}<a href=\"{% url 'claim-detail' c.claim_id %}\">claim {{ c.claim_id }}</a>"
                        "{% if not forloop.last %} · {% endif %}{% endfor %}")
    for cited in ([], [SimpleNamespace(claim_id=7)], [SimpleNamespace(claim_id=n) for n in (3, 12, 2147483646)]):
        assert cited_links(cited) == template.render(Context({"cited": cited}))
