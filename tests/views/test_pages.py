"""The researcher's pages: every page and filter, search, the claim page, relations, downloads.
Queries per page are pinned in test_query_counts.py."""
import json
import re

import pytest

from kb.models import Citation, Claim, Relation
from tests.helpers import listed_ids, page
from tests.factories import ARTICLE_SLUG, BLOG_SLUG


@pytest.mark.parametrize("url", ["/", "/claims/", "/sources/", f"/sources/{ARTICLE_SLUG}/", f"/sources/{BLOG_SLUG}/",
                                 "/entities/", "/entities/iran/", "/tags/funding/", "/timeline/"])
def test_every_page_renders_with_landmarks(client, curated, url):
    html = page(client, url)
    assert "<main" in html and "<header" in html and 'role="search"' in html
    assert re.search(r"<h1[ >]", html)
    assert "http://" not in re.sub(r'(href|content|value)="http://[^"]*"', "", html).split("<body", 1)[1]
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html), "no asset from another site"


def test_claim_list_shows_rows_with_grade_dates_sources(client, curated):
    html = page(client, "/claims/?per_page=100")
    claim = Claim.objects.get(key="art-iran-sponsors-hamas-since-early-1990s")
    assert f'href="/claims/{claim.pk}/"' in html
    assert 'class="grade grade-C"' in html and ">C2<" in html
    # The grade's meaning keeps the source's reliability and the claim's credibility apart (issue 11).
    assert "source C: probably true" not in html
    assert "<strong>C</strong> fairly reliable (how far the source itself is trusted)" in html
    assert "<strong>2</strong> probably true (how far the claim is borne out)" in html
    assert f'/sources/iranian-support-for-hamas/?claim={claim.pk}"' in html, "a row's source link goes to the quote"
    # The date in words from its EDTF ("1990~/.."), not the source's wording (issue 11).
    assert "from about 1990 on" in html and "1990-01-01" not in html
    assert "1 independent source" in html and "+1 copy" in html


def test_filters_combine(client, curated):
    ids = listed_ids(page(client, f"/claims/?source={BLOG_SLUG}&tag=assassination&per_page=100"))
    assert ids
    for claim in Claim.objects.filter(pk__in=ids):
        assert claim.citations.filter(source__slug=BLOG_SLUG).exists()
        assert "assassination" in claim.tags.names()
    expected = Claim.objects.filter(citations__source__slug=BLOG_SLUG, tags__slug="assassination", status="published").distinct().count()
    assert len(ids) == expected


def test_entity_date_credibility_contested_filters(client, curated):
    ids = listed_ids(page(client, "/claims/?entity=ismail-haniyeh&date_from=2024&date_to=2024-12&per_page=100"))
    assert ids
    for claim in Claim.objects.filter(pk__in=ids):
        assert claim.entities.filter(slug="ismail-haniyeh").exists()
        assert claim.date_earliest.year <= 2024 and (claim.date_latest is None or claim.date_latest.year >= 2024)
    ids = listed_ids(page(client, "/claims/?credibility=4&credibility=5&per_page=100"))
    assert ids and set(Claim.objects.filter(pk__in=ids).values_list("credibility", flat=True)) <= {4, 5}
    contested = set(listed_ids(page(client, "/claims/?contested=yes&per_page=100")))
    related = set(Relation.objects.filter(type="contradicts").values_list("from_claim", flat=True)) | set(
        Relation.objects.filter(type="contradicts").values_list("to_claim", flat=True))
    assert contested and contested <= related
    calm = set(listed_ids(page(client, "/claims/?contested=no&per_page=100")))
    assert calm and not (calm & related)


@pytest.mark.parametrize("query", [
    "date_from=abc", "date_to=2024-13", "credibility=9", "credibility=x", "sort=password", "per_page=100000",
    "status=evil", "contested=maybe", "page=-4", "page=abc", "source=../../etc", "q=" + "x" * 500,
    "date_from=2020&date_to=1990", "tag=%27%3B--",
])  # a NUL in the query string is refused whole with a 400: tests/security/test_headers.py
def test_bad_filter_values_never_500(client, curated, query):
    html = page(client, f"/claims/?{query}")
    assert "claim" in html


def test_bad_filter_value_is_reported(client, curated):
    html = page(client, "/claims/?date_from=yesterday&credibility=9")
    assert "Some filters were ignored" in html
    # The notice names each field it ignored (the page around it names every field anyway).
    notice = html[html.index("Some filters were ignored") :]
    notice = notice[: notice.index("</div>")]
    assert "From:" in notice and "credibility:" in notice.lower()
    assert notice.count("(ignored)") == 2


def test_sorting_from_allow_list(client, curated):
    ids = listed_ids(page(client, "/claims/?sort=confidence&per_page=100"))
    grades = [Claim.objects.get(pk=i).credibility for i in ids]
    assert grades == sorted(grades)
    ids = listed_ids(page(client, "/claims/?sort=-date&per_page=25"))
    dates = [Claim.objects.get(pk=i).date_earliest for i in ids if Claim.objects.get(pk=i).date_earliest]
    assert dates == sorted(dates, reverse=True)


def test_search_finds_statements_and_quotes(client, curated):
    ids = listed_ids(page(client, "/claims/?q=canaries&per_page=100"))
    assert ids
    for claim in Claim.objects.filter(pk__in=ids):
        text = (claim.statement + " ".join(claim.citations.values_list("quote", flat=True))).lower()
        assert "canar" in text
    # A word only in a quote, not in the claim's statement, still finds the claim.
    citation = Citation.objects.filter(quote__icontains="pickaxes").first()
    assert citation.claim_id in listed_ids(page(client, "/claims/?q=pickaxes&per_page=100"))
    assert listed_ids(page(client, "/claims/?q=zzzunmatchedzzz")) == []
    assert "No claims match" in page(client, "/claims/?q=zzzunmatchedzzz")


def test_claim_page_has_everything(client, curated):
    claim = Claim.objects.get(key="art-iran-sponsors-hamas-since-early-1990s")
    html = page(client, f"/claims/{claim.pk}/")
    assert claim.statement in html
    assert "1990~/.." in html and "Since the early 1990s" in html
    assert "C2" in html and "probably true" in html and "circular reporting" in html
    for citation in claim.citations.all():
        url = f"/sources/{citation.source.slug}/?claim={claim.pk}#{citation.passage.anchor}"
        assert url in html
    assert "Cite this claim" in html and f"/claims/{claim.pk}/" in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(ld)
    assert data["@type"] == "Claim" and data["text"] == claim.statement
    assert len(data["appearance"]) == claim.citations.count()


def test_relations_render_both_ways(client, curated):
    relation = Relation.objects.filter(type="updates").select_related("from_claim", "to_claim").first()
    newer = page(client, f"/claims/{relation.from_claim_id}/")
    older = page(client, f"/claims/{relation.to_claim_id}/")
    assert f'href="/claims/{relation.to_claim_id}/"' in newer and ">updates<" in newer
    assert f'href="/claims/{relation.from_claim_id}/"' in older and "updated by" in older


def test_merged_claim_redirects(client, curated):
    old, new = Claim.objects.all()[:2]
    Claim.objects.filter(pk=old.pk).update(merged_into=new)
    response = client.get(f"/claims/{old.pk}/")
    assert response.status_code == 301 and response["Location"] == f"/claims/{new.pk}/"


def test_not_found_pages_are_designed(client, curated):
    for url in ["/claims/999999/", "/entities/nobody/", "/tags/nothing/", "/sources/none/", "/nowhere/"]:
        assert "Nothing here" in page(client, url, status=404)


def test_downloads_follow_the_filters(client, curated):
    response = client.get(f"/claims/export.csv?source={ARTICLE_SLUG}&tag=tunnels")
    assert response["Content-Type"].startswith("text/csv")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    expected = Claim.objects.filter(citations__source__slug=ARTICLE_SLUG, tags__slug="tunnels", status="published").distinct()
    assert {int(r["claim_id"]) for r in rows} == set(expected.values_list("pk", flat=True))
    response = client.get("/claims/export.jsonld?tag=tunnels")
    items = json.loads(b"".join(response.streaming_content))
    assert len(items) == Claim.objects.filter(tags__slug="tunnels", status="published").count()
    assert all(item["id"].startswith("http://testserver/claims/") for item in items)


def test_timeline_draws_ranges_as_widths(client, curated):
    html = page(client, "/timeline/?entity=ismail-haniyeh")
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', html)]
    assert widths and max(widths) > min(widths)


def test_entity_and_tag_pages_list_their_claims(client, curated):
    html = page(client, "/entities/quds-force/")
    ids = listed_ids(html)
    assert ids and all(Claim.objects.get(pk=i).entities.filter(slug="quds-force").exists() for i in ids)
    assert "IRGC Quds Force" in html
    html = page(client, "/tags/tunnels/")
    assert listed_ids(html) and "<svg" in html


def test_overview_shows_counts(client, curated):
    html = page(client, "/")
    assert f"<strong>{Claim.objects.filter(status='published').count()}</strong> claims" in html
    assert "Contested" in html and "<svg" in html


