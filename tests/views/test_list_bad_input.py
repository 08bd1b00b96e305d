"""Lists answer bad paging, search and sorting input with a page and a clear note, never a 500;
their counts are capped ("10,000+") and their pages stay within the counted rows."""
import pytest

from kb.selectors import paging
from tests.factories import CitationFactory, ClaimFactory, SourceFactory, client_for, make_candidate, article

LISTS = ["/claims/", "/sources/", "/entities/", "/tags/funding/", "/entities/iran/"]


@pytest.fixture
def small_cap(monkeypatch):
    """A cap of 5 rows, so the curated data is "more than the cap"."""
    monkeypatch.setattr(paging, "COUNT_CAP", 5)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page, note", [
    ("99999999999999999999999999", "this is the last page"),
    ("9" * 5000, "this is the last page"),  # longer than int() accepts
    ("-3", "is not a page number: this is page 1"),
    ("0", "is not a page number: this is page 1"),
    ("two", "is not a page number: this is page 1"),
    ("1.5", "is not a page number: this is page 1"),
    ("٣", "is not a page number: this is page 1"),  # a digit, but not an ASCII one
])
def test_a_page_number_out_of_range_or_not_a_number_gives_a_page_and_says_so(curated, client, url, page, note):
    response = client.get(url, {"page": page})
    assert response.status_code == 200
    assert note in response.content.decode()


def test_a_page_in_range_has_no_note(curated, client):
    html = client.get("/claims/", {"page": "2", "per_page": "25"}).content.decode()
    assert "Page 2 of" in html
    assert 'role="status"' not in html


def test_a_search_of_ten_thousand_characters_is_ignored_with_a_message(curated, client):
    response = client.get("/claims/", {"q": "tunnels " * 1250})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Search: Ensure this value has at most 200 characters" in html
    assert "(ignored)" in html


@pytest.mark.parametrize("url", ["/claims/?q=tun%00nels", "/claims/?page=1%00", "/sources/?page=%002"])
def test_a_nul_in_the_query_is_a_clear_400(curated, client, url):
    response = client.get(url)
    assert response.status_code == 400


def test_an_unknown_sort_key_is_ignored_with_a_message(curated, client):
    response = client.get("/claims/", {"sort": "statement; drop table kb_claim"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not one of the available choices" in html
    assert "(ignored)" in html


def test_counts_above_the_cap_show_as_cap_plus_and_pages_stop_at_the_cap(curated, client, small_cap):
    html = client.get("/claims/", {"per_page": "25"}).content.decode()
    assert "5+ claims" in html
    assert "Page 1 of" not in html  # five rows fit on one page: no page links
    html = client.get("/claims/", {"per_page": "25", "page": "3"}).content.decode()
    assert "Only the first 5 rows are paged: page 3 is beyond them" in html
    html = client.get("/").content.decode()
    assert "<strong>5+</strong> claims" in html
    assert "<strong>5+</strong> citations" in html


def test_the_source_list_pages_and_counts_each_sources_claims(curated, client):
    """Fifty sources a page, each with its own counts (computed for the page's rows only)."""
    source = SourceFactory(title="Aardvark report")
    for _ in range(3):
        CitationFactory(claim=ClaimFactory(), source=source)
    html = client.get("/sources/").content.decode()
    row = html[html.index("Aardvark report"):]
    row = row[: row.index("</tr>")]
    assert '<td data-label="Claims">3</td>' in row


def test_the_review_queue_pages_with_a_capped_count(curated, editor, small_cap):
    start = article().text.index("Iran")
    for n in range(7):
        make_candidate(start=start, end=start + 4, statement=f"Candidate {n}.")
    html = client_for(editor).get("/review/", {"page": "x"}).content.decode()
    assert "5+ candidates waiting" in html
    assert "is not a page number" in html



def test_a_broad_search_is_paged_by_date_without_counting_or_ranking_every_match(curated, client, monkeypatch):
    """On PostgreSQL a search matching more statements than BROAD_SEARCH walks the list's
    index instead of ranking every match: sorted by date, shown as "more than", fewer pages."""
    from django.db import connection

    from kb.selectors import claims as browse

    if connection.vendor != "postgresql":
        pytest.skip("the broad search is PostgreSQL's full-text path")
    monkeypatch.setattr(browse, "BROAD_SEARCH", 3)
    monkeypatch.setattr(browse, "BROAD_SEARCH_ROWS", 2)
    html = client.get("/claims/", {"q": "Hamas", "per_page": "25"}).content.decode()
    assert "3+ claims" in html
    assert "sorted by date" in html
    html = client.get("/claims/", {"q": "Hamas", "per_page": "25", "page": "2"}).content.decode()
    assert "Only the first 2 rows are paged" in html
