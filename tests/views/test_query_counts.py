"""Queries per page, pinned exactly (django_assert_num_queries), on every list and detail page.

Each count is the number the page needs with data on every part of it (annotations with
references, history, relations, candidates), whatever the number of rows; a change that adds a
query (a repeated fetch, a query from a template, an N+1) fails here and must say why it is
worth it. A signed-in user costs four queries on any page: the session, the user, and the
user's and the groups' permissions (fetched once per request).
"""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string

from kb.models import Claim
from kb.selectors.claim_page import claim_page_context
from kb.selectors.sources import reader_page
from tests.factories import (
    ARTICLE_SLUG, SECOND_PHRASE, THIRD_PHRASE, AnnotationFactory, CitationFactory, ClaimFactory, EntityFactory,
    RelationFactory, SourceFactory, article, client_for, make_candidate,
)

CLAIM_KEY = "art-iran-sponsors-hamas-since-early-1990s"
# A search first probes its index (PostgreSQL's GIN, SQLite's FTS5): is it a broad search?
SEARCH_PROBE = 1

# (url, who, queries). {claim} is the busy claim's id.
PAGES = [
    ("/", "anonymous", 17),
    ("/claims/", "anonymous", 8),
    ("/claims/?q=tunnels", "anonymous", 8 + SEARCH_PROBE),
    ("/claims/?tag=funding&credibility=3&sort=-date", "anonymous", 8),
    ("/claims/{claim}/", "anonymous", 13),
    ("/claims/{claim}/", "editor", 17),
    ("/sources/", "anonymous", 4),
    # The reader: + 2 when the source has copy links (the other sources' claims, and relations of
    # this source's claims: the share of its claims stated there too). The article has one.
    (f"/sources/{ARTICLE_SLUG}/", "anonymous", 10),
    (f"/sources/{ARTICLE_SLUG}/", "editor", 15),
    # The claim counts are kept on the entities (kb.services.counts): the page counts nothing.
    ("/entities/", "anonymous", 2),
    # The kept claim count is the paginator's count: no count query.
    ("/entities/iran/", "anonymous", 6),
    ("/tags/funding/", "anonymous", 6),  # the same: the tag's kept count, read with the tag
    # Dated and undated claims each counted up to the cap: two small queries, not one over every claim.
    ("/timeline/", "anonymous", 6),
    ("/review/", "editor", 8),
]


@pytest.fixture
def busy(db, editor):
    """The curated data, and more on every part of the pages: annotations with references on
    the claim, on one of its citations and on the article's words, a hidden one, relations both
    ways, a second source citing the claim, and candidates waiting for review."""
    claim = Claim.objects.get(key=CLAIM_KEY)
    citation = claim.citations.first()
    AnnotationFactory(claim=claim, author=editor, references=2)
    AnnotationFactory(citation=citation, author=editor, references=1)
    AnnotationFactory(claim=claim, author=editor, is_hidden=True, hidden_reason="spam")
    AnnotationFactory(source=article(), quote=SECOND_PHRASE, author=editor, references=1)
    RelationFactory(from_claim=claim, to_claim=ClaimFactory(), type="contradicts")
    RelationFactory(from_claim=ClaimFactory(), to_claim=claim, type="updates")
    CitationFactory(claim=claim, source=SourceFactory())
    start = article().text.index(THIRD_PHRASE)
    for n in range(3):
        make_candidate(start=start, end=start + len(THIRD_PHRASE), statement=f"Candidate {n}.", suggested_match=claim)
    return claim


@pytest.mark.parametrize("url, who, queries", PAGES, ids=[f"{who}:{url}" for url, who, _ in PAGES])
def test_each_page_runs_a_fixed_number_of_queries(busy, editor, url, who, queries, django_assert_num_queries):
    client = client_for(editor if who == "editor" else None)
    url = url.format(claim=busy.pk)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_the_claim_list_runs_as_many_queries_for_100_rows_as_for_25(busy, client, django_assert_num_queries):
    """More rows per page, each with citations, entities and tags: the same queries."""
    source = SourceFactory()
    entity = EntityFactory()
    for n in range(120):
        claim = ClaimFactory(date_edtf=f"{1990 + n % 30}", tags=[f"factory-tag-{n % 7}"], entities=[entity])
        CitationFactory(claim=claim, source=source)
    for size in (25, 100):
        with django_assert_num_queries(8):
            html = client.get(f"/claims/?per_page={size}").content.decode()
        assert html.count('class="claim-statement"') == size


def test_the_claim_page_runs_as_many_queries_with_more_on_it(busy, editor, django_assert_num_queries):
    """Ten more citations, annotations and relations on the claim: the same queries."""
    for _ in range(10):
        CitationFactory(claim=busy, source=SourceFactory())
        AnnotationFactory(claim=busy, author=editor, references=2)
        RelationFactory(from_claim=busy, to_claim=ClaimFactory())
    client = client_for(editor)
    with django_assert_num_queries(17):
        assert client.get(busy.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_claim_page_and_reader_templates_run_no_queries(busy, editor, rf, who, django_assert_num_queries):
    """Every query runs in the selectors that build the context; templates only render it."""
    request = rf.get("/")
    request.user = editor if who == "editor" else AnonymousUser()
    pages = [("kb/claim_detail.html", claim_page_context(request, busy)),
             ("kb/source_detail.html", reader_page(article(), user=request.user))]
    for template, context in pages:
        with django_assert_num_queries(0):
            html = render_to_string(template, context, request=request)
        assert "<main" in html
