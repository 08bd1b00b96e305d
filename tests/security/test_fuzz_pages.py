"""Property-based query strings for every list page (issue 13, fuzzing suite): whatever the
filters, sorting and paging say, the answer is a page or a clear 4xx, and nothing is written."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.forms.claim_filters import ClaimFilterForm
from tests.security.hostile import QUERY_HOSTILE
from tests.factories import ARTICLE_SLUG, make_user

PAGES = ["/claims/", "/timeline/", "/entities/hamas/", "/claims/export.csv", "/claims/export.jsonld",
         f"/sources/{ARTICLE_SLUG}/", "/", "/review/"]
NAMES = list(ClaimFilterForm.base_fields) + ["page", "claim", "per_page", "sort", "from", "to", "quote"]
values = st.one_of(
    st.sampled_from(QUERY_HOSTILE),
    st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["date", "-date", "confidence", "relevance", "all", "candidate", "yes", "no", "25", "100"]),
    st.builds(lambda d, n: d.isoformat()[:n], st.dates(), st.sampled_from([4, 7, 10])),
)
queries = st.lists(st.tuples(st.sampled_from(NAMES), values), max_size=8).map(
    lambda pairs: "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in pairs)
)


@pytest.fixture
def clients(curated):
    editor = Client(raise_request_exception=False)
    editor.force_login(make_user("editor", "eddie"))
    return {"anonymous": Client(raise_request_exception=False), "editor": editor}


@pytest.mark.parametrize("url", PAGES)
@settings(max_examples=20)
@given(query=queries, who=st.sampled_from(["anonymous", "editor"]))
@example(query="date_from=0000&date_to=0000-05", who="anonymous")
@example(query="date_to=9999-12&claim=%C2%B2", who="anonymous")
def test_list_pages_answer_any_query(clients, db_snapshot, url, query, who):
    before = db_snapshot()
    response = clients[who].get(f"{url}?{query}")
    assert response.status_code < 500, (url, query)
    assert response.status_code in (200, 302, 400, 403, 404)
    assert db_snapshot() == before
