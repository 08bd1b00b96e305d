"""Every list and detail page runs the same queries at two corpus sizes, pinned exactly.

The curated data plus N rows, then plus 2N more (claims with citations, sources with passages,
entities, tags, contradictions and copy links between sources): a page whose queries grow with
the corpus (an N+1, a count per source, every copy link loaded) fails here. The rows are real
data as far as the pages know (nothing is hidden because it is synthetic).
"""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.db import connection

from kb.models import Claim, Entity, Source, SourceLink
from taggit.models import Tag

from tests.factories import ARTICLE_SLUG, AnnotationFactory, client_for

CLAIM_KEY = "art-iran-sponsors-hamas-since-early-1990s"
# A search first probes its index (PostgreSQL's GIN, SQLite's FTS5): is it a broad search?
SEARCH_PROBE = 1

# (url, who, queries). {claim} is a curated claim, {entity} and {source} rows the growth added.
PAGES = [
    ("/", "anonymous", 17),  # with recent annotations (grow adds some)
    ("/claims/", "anonymous", 8),
    ("/claims/?per_page=25&page=3", "anonymous", 8),
    ("/claims/?q=ministry", "anonymous", 8 + SEARCH_PROBE),
    ("/claims/?tag=funding&credibility=3&credibility=4&sort=-confidence", "anonymous", 8),
    ("/claims/?contested=yes&sort=updated", "anonymous", 8),
    ("/claims/{claim}/", "anonymous", 12),
    ("/sources/", "anonymous", 4),
    ("/sources/?page=2", "anonymous", 4),
    (f"/sources/{ARTICLE_SLUG}/", "anonymous", 9),
    ("/sources/{source}/", "anonymous", 9),
    ("/entities/", "anonymous", 2),
    ("/entities/{entity}/", "anonymous", 6),
    ("/tags/funding/", "anonymous", 6),  # its kept count: read with the tag
    # Dated and undated claims each counted up to the cap: two small queries, not one over every claim.
    ("/timeline/", "anonymous", 6),
    ("/review/", "editor", 6),
    ("/admin/kb/claim/", "admin", 6),
    ("/admin/kb/claim/{claim}/change/", "admin", 9),
    ("/admin/kb/source/", "admin", 6),
    # Every change list over rows the corpus grows: each relation shown is joined, not fetched per row.
    ("/admin/kb/section/", "superuser", 5),  # + the levels for its filter
    ("/admin/kb/passage/", "superuser", 4),
    ("/admin/kb/relation/", "superuser", 4),
    ("/admin/kb/annotation/", "superuser", 4),
    ("/admin/kb/entity/", "superuser", 4),
    ("/admin/taggit/tag/", "superuser", 4),
    # taggit's own form listed every claim carrying the tag.
    ("/admin/taggit/tag/{tag}/change/", "superuser", 4),
]


def grow(n: int) -> None:
    """n more claims (five per source), with entities, tags, relations; and copy links
    chaining the new sources in pairs."""
    call_command("seed_synthetic", claims=n, claims_per_source=5, allow_mixed=True, verbosity=0)
    for claim in Claim.objects.filter(is_synthetic=True).order_by("-id")[: n // 20]:
        AnnotationFactory(claim=claim)
    newest = list(Source.objects.order_by("-id").values_list("id", flat=True)[: n // 5])
    SourceLink.objects.bulk_create(
        SourceLink(source_id=copy, target_id=original, shared_share=0.5)
        for copy, original in zip(newest[0::2], newest[1::2])
    )


def count_queries(client, url) -> int:
    # Django caches content types per process: whether one is cached yet depends on which tests
    # ran before; a first request fills it, so the count is the page's own, in any order.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture
def pages(db, editor, site_admin):
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "not-used-here")
    clients = {"anonymous": client_for(None), "editor": client_for(editor), "admin": client_for(site_admin),
               "superuser": client_for(superuser)}
    grow(60)
    claim = Claim.objects.get(key=CLAIM_KEY)
    entity = Entity.objects.filter(is_synthetic=True).order_by("id").first()
    source = Source.objects.filter(is_synthetic=True).order_by("id").first()
    tag = Tag.objects.get(slug="funding")

    def measure():
        return {
            url: count_queries(clients[who], url.format(claim=claim.pk, entity=entity.slug, source=source.slug, tag=tag.pk))
            for url, who, _ in PAGES
        }

    return measure


def test_every_page_runs_the_same_queries_at_three_times_the_corpus(pages):
    small = pages()
    grow(120)
    large = pages()
    pinned = {url: queries for url, _, queries in PAGES}
    assert small == pinned
    assert large == pinned


def test_the_admin_claim_form_does_not_grow_with_the_claims_and_entities(db, site_admin):
    """Entities are picked by autocomplete and merged_into/suggested_match are raw ids: the
    form lists no claim or entity it does not hold."""
    client = client_for(site_admin)
    claim = Claim.objects.get(key=CLAIM_KEY)
    url = f"/admin/kb/claim/{claim.pk}/change/"
    before = len(client.get(url).content)
    grow(150)
    after = len(client.get(url).content)
    assert Entity.objects.count() > 10
    assert abs(after - before) < 200
