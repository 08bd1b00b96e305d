"""A search's export reads its matches' keys many at a time (export_rows' keys_ahead) and, on
PostgreSQL, takes a broad search's matches from both search indexes at once instead of testing
each claim it walks (filter_claims(..., whole=True)): the same rows in the same order as the
chunk-by-chunk walk, on SQLite and PostgreSQL."""
import pytest

from kb import exports
from kb.selectors import claims as browse
from kb.selectors.exports import export_rows


def ids(rows) -> list[int]:
    return [row.claim.id for row in rows]


@pytest.mark.parametrize("sort", ["", "date", "-date", "confidence", "-confidence", "updated"])
@pytest.mark.parametrize("q", ["", "Hamas", "Iran funding"])
def test_reading_keys_ahead_gives_the_same_rows_in_the_same_order(curated, sort, q):
    filters = {key: value for key, value in {"sort": sort, "q": q}.items() if value}
    claims = browse.ranked_selection(browse.filter_claims(filters, whole=True), filters)
    order, _ = browse.sort_order(filters)
    walked = list(export_rows(claims, order=order, chunk=7))
    assert len(walked) >= 8  # more than one chunk of 7
    for ahead, limit in [(5, None), (13, None), (1000, None), (5, 12), (100, 31)]:
        read = list(export_rows(claims, order=order, chunk=7, keys_ahead=ahead, limit=limit))
        assert ids(read) == ids(walked)[:limit]
        assert "".join(exports.csv_lines(read)) == "".join(exports.csv_lines(walked[:limit]))


def test_keys_ahead_after_an_id_walks_on_from_it(curated):
    claims = browse.filter_claims({}, whole=True)
    walked = ids(export_rows(claims))
    start = walked[20]
    assert ids(export_rows(claims, after=start, limit=30, keys_ahead=8, chunk=6)) == walked[21:51]


def test_a_whole_search_chooses_the_claims_a_page_search_does(curated, monkeypatch):
    # A low threshold makes "Hamas" a broad search on PostgreSQL (SQLite has one form).
    monkeypatch.setattr(browse, "BROAD_SEARCH", 5)
    page_filters, export_filters = {"q": "Hamas"}, {"q": "Hamas"}
    listed = set(browse.filter_claims(page_filters).values_list("id", flat=True))
    exported = set(browse.filter_claims(export_filters, whole=True).values_list("id", flat=True))
    assert len(listed) > 5 and listed == exported
