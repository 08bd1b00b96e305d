"""The claim list's CSV (issue 11): in the page's order, with relation and contested columns,
and a byte-order mark for Excel on request; still streamed a chunk at a time."""
import csv
import io
import re

import pytest
from django.test import Client

from kb.exports import RELATION_COLUMNS
from kb.models import Claim
from kb.selectors import exports as export_selectors
from tests.factories import make_user, related_four

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _records(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _claim_order(records) -> list[int]:
    """Claim ids in the order the file first names them (a claim has a row per citation)."""
    return list(dict.fromkeys(int(r["claim_id"]) for r in records))


def _page_order(client, query: str) -> list[int]:
    """Claim ids in the order the list's pages show them, page after page."""
    ids, number = [], 1
    while True:
        response = client.get(f"/claims/?{query}&per_page=100&page={number}")
        ids += [row.claim.pk for row in response.context["rows"]]
        if not response.context["page"].has_next():
            return ids
        number += 1


def _cited(ids) -> list[int]:
    cited = set(Claim.objects.filter(pk__in=ids, citations__isnull=False).values_list("pk", flat=True))
    return [pk for pk in ids if pk in cited]


@pytest.fixture
def signed_in(seeds):
    client = Client()
    client.force_login(make_user("researcher"))
    return client


@pytest.mark.parametrize("query", ["sort=date", "sort=-date", "sort=confidence", "sort=-confidence",
                                   "sort=updated", "tag=tunnels&sort=-date", "q=Hamas", "q=Hamas&sort=relevance",
                                   "contested=yes&sort=confidence"])
def test_the_csv_lists_claims_in_the_pages_order(signed_in, monkeypatch, query):
    # Chunks of 7: the keyset walk crosses many ties (claims of one date, the undated ones).
    monkeypatch.setattr(export_selectors, "CHUNK", 7)
    page = _page_order(signed_in, query)
    assert len(page) > 7
    exported = _claim_order(_records(_body(signed_in.get(f"/claims/export.csv?{query}"))))
    assert exported == _cited(page)


def test_the_jsonld_download_keeps_the_pages_order_too(signed_in, monkeypatch):
    import json
    monkeypatch.setattr(export_selectors, "CHUNK", 7)
    page = _page_order(signed_in, "sort=-confidence")
    items = json.loads(_body(signed_in.get("/claims/export.jsonld?sort=-confidence")))
    assert [int(item["id"].rstrip("/").rsplit("/", 1)[1]) for item in items] == page


def test_a_visitors_first_claims_are_the_pages_first(client, seeds, settings):
    settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = 5
    page = [row.claim.pk for row in client.get("/claims/?sort=-date").context["rows"]][:5]
    records = list(csv.reader(io.StringIO(_body(client.get("/claims/export.csv?sort=-date")))))
    rows = [dict(zip(records[0], record)) for record in records[1:-1]]
    assert _claim_order(rows) == _cited(page)


def test_the_relation_and_contested_columns_name_related_claims_both_ways(signed_in):
    (a, b, _c, _d), expected = related_four()
    records = _records(_body(signed_in.get("/claims/export.csv")))
    assert list(records[0])[-len(RELATION_COLUMNS) - 1:] == ["contested", *RELATION_COLUMNS]
    by_claim = {int(r["claim_id"]): r for r in records}
    for pk, cells in expected.items():
        assert {column: by_claim[pk][column] for column in cells} == cells
    # Every row of a claim (one per citation) carries its claim's columns.
    rows_of_a = [r for r in records if int(r["claim_id"]) == a.pk]
    assert {r["contradicts"] for r in rows_of_a} == {str(b.pk)}


def test_the_contested_column_agrees_with_the_contested_filter(signed_in):
    contested = {int(r["claim_id"]) for r in _records(_body(signed_in.get("/claims/export.csv?contested=yes")))}
    flagged = {int(r["claim_id"]) for r in _records(_body(signed_in.get("/claims/export.csv"))) if r["contested"] == "yes"}
    assert contested and flagged == contested


def test_bom_1_starts_the_file_with_a_byte_order_mark(signed_in):
    plain = b"".join(signed_in.get("/claims/export.csv").streaming_content)
    marked = b"".join(signed_in.get("/claims/export.csv?bom=1").streaming_content)
    assert plain.startswith(b"claim_id,") and marked.startswith(b"\xef\xbb\xbfclaim_id,")
    assert marked[3:] == plain
    assert marked.decode("utf-8-sig").count("\ufeff") == 0  # the mark once, nowhere else


def test_the_page_offers_the_csv_for_excel_in_its_order(signed_in):
    html = signed_in.get("/claims/?tag=tunnels&sort=-date&page=1").content.decode()
    links = dict((text, href.replace("&amp;", "&")) for href, text in
                 re.findall(r'<a href="(/claims/export\.[^"]+)"[^>]*>([^<]+)</a>', html))
    assert links["CSV"] == "/claims/export.csv?tag=tunnels&sort=-date"
    assert links["CSV for Excel"] == "/claims/export.csv?tag=tunnels&sort=-date&bom=1"
    assert links["JSON-LD"] == "/claims/export.jsonld?tag=tunnels&sort=-date"
    bare = signed_in.get("/claims/").content.decode()
    assert 'href="/claims/export.csv?bom=1"' in bare


def test_the_command_and_the_file_export_carry_the_same_columns(seeds):
    from kb.exports import CSV_COLUMNS, to_csv
    text = to_csv(Claim.objects.filter(status="published"))
    assert next(csv.reader(io.StringIO(text))) == CSV_COLUMNS
    assert "yes" in {r["contested"] for r in _records(text)}
