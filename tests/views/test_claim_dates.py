"""The date shown on a claim is its EDTF date in words and as a range, never the source's
wording around the date (issue 11): on the claim page, in a list row, on the timeline and in
the reader's popover card."""
import re

import pytest

from tests.factories import ClaimFactory, make_claim, make_user

pytestmark = pytest.mark.django_db

WORDING = "to plan its 7 October 2023 surprise attack"


@pytest.fixture
def dated(seeds):
    return make_claim(make_user("editor"), statement="Hamas planned the attack for two years.",
                      date_edtf="2023-10", date_wording=WORDING)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_claim_page_shows_the_date_in_words_and_the_sources_words_apart(client, dated):
    html = client.get(f"/claims/{dated.pk}/").content.decode()
    date_section = html[html.index('id="h-date"'):html.index('id="h-conf"')]
    main = re.search(r'<p class="fact-main claim-date">([^<]*)</p>', date_section)[1]
    assert main == "October 2023"
    assert "1–31 Oct 2023" in date_section
    assert "The source's words:" in _text(date_section) and f"<q dir=\"auto\">{WORDING}</q>" in date_section
    assert WORDING not in main


def test_a_list_row_and_the_timeline_show_the_date_not_the_wording(client, dated):
    row = client.get("/claims/?sort=updated&per_page=25").content.decode()
    row = row[row.index(dated.statement) - 200:]
    row = row[:row.index("</li>")]
    assert "October 2023" in row and "(1–31 Oct 2023)" in row and WORDING not in row
    timeline = client.get("/timeline/").content.decode()
    assert "October 2023 (1–31 Oct 2023): Hamas planned the attack" in timeline
    assert WORDING not in timeline


def test_the_readers_card_shows_the_date_in_words(client, dated):
    html = client.get("/sources/iranian-support-for-hamas/").content.decode()
    card = html[html.index(f'class="hl-card" id="hl-card-'):]
    card = card[card.index(f'data-claim="{dated.pk}"'):]
    card = card[:card.index("</div>")]
    assert "October 2023" in card and WORDING not in card


@pytest.mark.parametrize("edtf, shown", [("2005/2007", "between 2005 and 2007"), ("1990~", "about 1990"),
                                          ("2023-10-07", "7 October 2023")])
def test_vague_and_exact_dates_read_as_words(client, seeds, edtf, shown):
    claim = ClaimFactory(statement="A dated claim for the words test.", date_edtf=edtf, date_wording="in the source")
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert re.search(r'<p class="fact-main claim-date">([^<]*)</p>', html)[1] == shown


def test_an_undated_claim_says_so(client, seeds):
    claim = ClaimFactory(statement="An undated claim for the words test.", date_wording="some time")
    assert "Not dated" in client.get(f"/claims/{claim.pk}/").content.decode()
