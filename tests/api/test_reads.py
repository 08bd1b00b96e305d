"""Reads through the API: the claim list's filters and cursor pages, one claim, sources and
their text, entities and tags, the timeline; the same visibility rules as the pages."""
import pytest
from django.core import signing

from kb.forms.claim_filters import clean_filters
from kb.models import Annotation, Claim, Source
from kb.selectors import claims as browse
from kb.services import annotations as annotation_services
from tests.api.conftest import token_client
from tests.conftest import ARTICLE_SLUG
from tests.factories import make_candidate

pytestmark = pytest.mark.django_db


def walk(client, url):
    """Every item of every page, following `next`."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        url = body["next"]
        pages += 1
    return items, pages


def expected_ids(params):
    filters, problems = clean_filters(params)
    assert not problems
    claims, _sort = browse.sort_claims(browse.filter_claims(filters), filters)
    return list(claims.values_list("id", flat=True))


@pytest.mark.parametrize("sort", ["date", "-date", "confidence", "-confidence", "updated"])
def test_cursor_pages_walk_every_published_claim_once_in_order(anon, seeds, sort):
    items, pages = walk(anon, f"/api/claims/?limit=40&sort={sort}")
    assert [item["id"] for item in items] == expected_ids({"sort": sort})
    assert pages == -(-len(items) // 40) and len(items) == Claim.objects.published().count()


@pytest.mark.parametrize("query", [
    "entity=iran&contested=yes", "source=hamas-iran-unraveling-a-complex-relationship&credibility=2&credibility=3",
    "date_from=2000&date_to=2019-06", "q=tunnels", "tag=funding&sort=-date", "status=all&contested=no",
])
def test_filters_select_what_the_claim_list_page_selects(anon, seeds, query):
    from django.http import QueryDict

    items, _ = walk(anon, f"/api/claims/?limit=25&{query}")
    assert [item["id"] for item in items] == expected_ids(QueryDict(query))
    assert items


def test_counts_only_when_asked(anon, seeds):
    assert anon.get("/api/claims/?limit=1").json()["count"] is None
    assert anon.get("/api/claims/?limit=1&count=true&entity=iran").json()["count"] == len(expected_ids({"entity": "iran"}))
    assert anon.get("/api/claims/?limit=1&count=true&entity=iran").json()["count_capped"] is False


def test_counts_stop_at_the_cap(anon, seeds, monkeypatch):
    from kb.api.routers import claims as claims_router

    monkeypatch.setattr(claims_router, "COUNT_CAP", 2)
    data = anon.get("/api/claims/?limit=1&count=true").json()
    assert (data["count"], data["count_capped"]) == (2, True)


def test_a_page_costs_a_fixed_number_of_queries(anon, seeds, django_assert_num_queries):
    # claims (with their kept contested flag), their cited sources, their tags, copy links: the same for 5 rows or 100.
    for limit in (5, 100):
        with django_assert_num_queries(4):
            assert anon.get(f"/api/claims/?limit={limit}&sort=confidence").status_code == 200


def test_a_bad_filter_is_a_problem_with_the_form_code_not_a_wider_selection(anon, seeds):
    response = anon.get("/api/claims/?date_from=2023-02-30")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_date" and problem["errors"][0]["field"] == "date_from"
    assert anon.get("/api/claims/?sort=statement").json()["errors"][0]["code"] == "invalid_choice"
    assert anon.get("/api/claims/?credibility=9").status_code == 422


def test_tampered_or_foreign_cursors_are_refused(anon, seeds):
    cursor = anon.get("/api/claims/?limit=2").json()["cursor"]
    payload = signing.loads(cursor, salt="kb.api.cursor")
    for bad in [cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), "x" * 40,
                signing.dumps({**payload, "after": [["d", "1000-01-01"], 1]}, salt="another salt")]:
        response = anon.get(f"/api/claims/?cursor={bad}")
        assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
    # A cursor from the date order does not continue a credibility order.
    assert anon.get(f"/api/claims/?cursor={cursor}&sort=confidence").json()["code"] == "invalid_cursor"


def test_claim_detail_has_selectors_that_match_the_text(anon, seeds):
    claim = Claim.objects.published().filter(citations__isnull=False).order_by("id").first()
    body = anon.get(f"/api/claims/{claim.pk}/").json()
    assert body["statement"] == claim.statement and body["citations"]
    texts = {}
    for citation in body["citations"]:
        position, quote = citation["selector"]
        text_url = citation["source"]["text_url"]
        texts.setdefault(text_url, anon.get(text_url).content.decode())
        assert texts[text_url][position["start"]:position["end"]] == quote["exact"]
        assert texts[text_url][: position["start"]].endswith(quote["prefix"])


def test_source_text_has_an_etag_and_answers_304(anon, seeds):
    source = seeds["article"]
    response = anon.get(f"/api/sources/{source.slug}/text")
    assert response.content.decode() == source.text
    assert response["ETag"] == f'"{source.sha256}"'
    again = anon.get(f"/api/sources/{source.slug}/text", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_source_detail_structure_and_links(anon, seeds):
    source = seeds["article"]
    body = anon.get(f"/api/sources/{ARTICLE_SLUG}/").json()
    assert body["sha256"] == source.sha256 and body["versions"] == [1]
    assert len(body["passages"]) == source.passages.count() and body["sections"]
    links = anon.get(f"/api/sources/{ARTICLE_SLUG}/links").json()
    assert [link["source"] for link in links["copied_by"]] == ["hamas-iran-unraveling-a-complex-relationship"]
    assert anon.get("/api/sources/no-such-source/").status_code == 404
    assert anon.get(f"/api/sources/{ARTICLE_SLUG}/?version=9").json()["code"] == "not_found"


def test_sources_entities_and_tags_page_through_everything(anon, seeds):
    from taggit.models import Tag

    from kb.models import Entity

    items, pages = walk(anon, "/api/entities/?limit=30")
    assert sorted(e["slug"] for e in items) == sorted(Entity.objects.values_list("slug", flat=True)) and pages > 1
    items, _ = walk(anon, "/api/tags/?limit=7")
    assert len(items) == Tag.objects.count()
    items, _ = walk(anon, "/api/sources/?limit=1")
    assert len(items) == Source.objects.current().count()
    assert anon.get("/api/entities/iran/").json()["name"] == "Iran"


def test_entities_and_tags_carry_their_published_claims_count(anon, seeds, django_assert_num_queries):
    from kb.models import Claim

    published = Claim.objects.filter(status="published", merged_into=None)
    iran = anon.get("/api/entities/iran/").json()
    assert iran["claim_count"] == published.filter(entities__slug="iran").count() > 0
    with django_assert_num_queries(1):  # the kept counts come with the tags: one query for the page
        tags = {t["slug"]: t["claim_count"] for t in anon.get("/api/tags/?limit=100").json()["items"]}
    assert tags and all(count == published.filter(tags__slug=slug).count() for slug, count in tags.items())
    assert tags["funding"] > 0


def test_timeline_lists_dated_claims_in_time_order(anon, seeds):
    body = anon.get("/api/timeline/?entity=hamas").json()
    earliest = [item["date"]["earliest"] for item in body["items"]]
    assert earliest == sorted(earliest) and None not in earliest and not body["truncated"]


# Visibility


@pytest.fixture
def candidate(seeds):
    text = seeds["article"].text
    start = text.index("Tehran's support progressively increased.")
    return make_candidate(start=start, end=start + 41, statement="An unreviewed candidate.")


def test_candidates_are_invisible_to_anonymous_visitors_and_researchers(anon, users, candidate):
    researcher = token_client(users["researcher"], "read")
    for client in (anon, researcher):
        for query in ("status=all", "q=unreviewed&status=all", "status=retracted"):
            ids = [item["id"] for item in walk(client, f"/api/claims/?limit=100&{query}")[0]]
            assert candidate.pk not in ids
        # Not a choice for them at all, as on the claim list page.
        assert client.get("/api/claims/?status=candidate").json()["code"] == "invalid_choice"
        assert client.get(f"/api/claims/{candidate.pk}/").status_code == 404
        assert client.get(f"/api/claims/{candidate.pk}/history").status_code == 404
    editor = token_client(users["editor"], "read")
    assert candidate.pk in [item["id"] for item in walk(editor, "/api/claims/?status=candidate")[0]]
    assert editor.get(f"/api/claims/{candidate.pk}/").json()["status"] == "candidate"


def test_hidden_annotations_are_invisible_except_to_admins(anon, users, seeds):
    claim = Claim.objects.published().order_by("id").first()
    note = annotation_services.annotation_create(by=users["editor"], kind="context", body="Hidden later.", claim=claim)
    annotation_services.annotation_set_hidden(annotation=note, by=users["admin"], hidden=True, reason="spam")
    for client in (anon, token_client(users["editor"], "read")):
        assert note.pk not in [a["id"] for a in client.get(f"/api/claims/{claim.pk}/").json()["annotations"]]
        assert client.get(f"/api/annotations/{note.pk}/").status_code == 404
        assert client.get(f"/api/claims/{claim.pk}/annotations").json() == []
    admin = token_client(users["admin"], "read")
    assert admin.get(f"/api/annotations/{note.pk}/").json()["hidden"] is True


def test_annotations_on_a_candidate_are_invisible_to_readers(anon, users, candidate):
    note = annotation_services.annotation_create(by=users["editor"], kind="question", body="Is it?", claim=candidate)
    assert anon.get(f"/api/annotations/{note.pk}/").status_code == 404
    assert token_client(users["editor"], "read").get(f"/api/annotations/{note.pk}/").status_code == 200
    assert Annotation.objects.filter(pk=note.pk).exists()
