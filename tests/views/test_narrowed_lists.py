"""A narrowed claim list counts up to NARROWED_CAP ("1,000+"), an entity page shows its kept
count, and keys-first pages list the same claims in the same order as reading the rows did."""
import re

import pytest

from kb.models import Claim
from kb.selectors import claims as browse
from tests.factories import ClaimFactory, EntityFactory


def heading(html: str) -> str:
    return re.search(r"<h2[^>]*>([^<]*) claims?", html).group(1).strip()


def test_a_narrowed_list_counts_up_to_its_cap(client, db, monkeypatch):
    monkeypatch.setattr(browse, "NARROWED_CAP", 3)
    for n in range(5):
        ClaimFactory(statement=f"Narrowed {n}.", credibility=2, rationale="r", date_edtf="2001")
    assert heading(client.get("/claims/?credibility=2").content.decode()) == "3+"
    # Not narrowed: counted up to the usual cap.
    assert heading(client.get("/claims/").content.decode()) == f"{Claim.objects.published().count():,}"


def test_an_entity_page_shows_its_kept_count_and_a_filter_counts_again(client, db):
    entity = EntityFactory()
    for n in range(3):
        ClaimFactory(statement=f"Named {n}.", date_edtf=f"{2000 + n}", entities=[entity])
    assert heading(client.get(entity.get_absolute_url()).content.decode()) == "3"
    assert heading(client.get(entity.get_absolute_url() + "?date_from=2001").content.decode()) == "2"
    assert heading(client.get(entity.get_absolute_url() + "?sort=-date").content.decode()) == "3"


@pytest.mark.parametrize("sort", ["date", "-date", "confidence", "-confidence", "updated"])
def test_keys_first_pages_keep_the_order(curated, sort):
    filters = {"sort": sort}
    claims, _ = browse.sort_claims(browse.filter_claims(filters), filters)
    expected = list(claims.values_list("id", flat=True)[20:45])
    assert [c.pk for c in browse.list_claims(claims)[20:45]] == expected


def test_entity_and_tag_pages_show_the_kept_count_but_page_only_the_narrowed_rows(client, db, monkeypatch):
    monkeypatch.setattr(browse, "NARROWED_CAP", 2)
    entity = EntityFactory()
    for n in range(5):
        ClaimFactory(statement=f"Named {n}.", date_edtf=f"{2000 + n}", entities=[entity], tags=["paged"])
    for url in (entity.get_absolute_url(), "/tags/paged/"):
        html = client.get(url).content.decode()
        assert heading(html) == "5"  # the exact, kept number
        deep = client.get(url + "?page=2").content.decode()
        assert "Only the first 2 rows are paged: page 2 is beyond them" in deep
