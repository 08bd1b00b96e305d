"""The anonymous page cache (kb/page_cache.py): keyed by the generation every committed write
bumps (kb/services/generation.py), never shared with signed-in users, answering 304s."""
import dataclasses

import pytest
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from kb.models import Claim, Entity
from kb.page_cache import _storable
from kb.selectors.generation import kb_generation
from kb.services.annotations import annotation_create
from kb.services.claims import ClaimFields, claim_update
from kb.services.common import version_token
from kb.services.generation import kb_changed, kb_generation_bump
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

CACHED = ["/", "/claims/", "/claims/?q=tunnels&sort=date", "/sources/", "/entities/", "/timeline/"]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CLAIMBOOK_PAGE_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _published() -> Claim:
    return Claim.objects.published().filter(merged_into__isnull=True, citations__isnull=False).order_by("id").first()


def _edit(claim: Claim, by, statement: str) -> None:
    fields = dataclasses.replace(ClaimFields.of(claim), statement=statement)
    claim_update(claim=claim, by=by, version=version_token(claim), fields=fields, note="page cache test")


@pytest.mark.parametrize("url", CACHED)
def test_an_anonymous_page_is_rendered_once_then_served_with_one_query(client, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200 and first["X-Claimbook-Cache"] == "miss"
    with django_assert_num_queries(1):  # the generation, nothing else
        again = client.get(url)
    assert again["X-Claimbook-Cache"] == "hit"
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_claim_and_reader_pages_are_cached(client, seeds):
    claim = _published()
    for url in (reverse("claim-detail", args=[claim.pk]), reverse("source-detail", args=[seeds["article"].slug])):
        assert client.get(url)["X-Claimbook-Cache"] == "miss"
        assert client.get(url)["X-Claimbook-Cache"] == "hit"


def test_a_committed_edit_makes_the_next_read_fresh(client, editor, django_capture_on_commit_callbacks):
    claim = _published()
    url = reverse("claim-detail", args=[claim.pk])
    listing = "/claims/?q=" + claim.statement.split()[0]
    before, before_list = client.get(url), client.get(listing)
    assert client.get(url)["X-Claimbook-Cache"] == "hit"
    generation = kb_generation()[0]
    with django_capture_on_commit_callbacks(execute=True):
        _edit(claim, editor, claim.statement + " Freshly edited.")
    assert kb_generation()[0] == generation + 1
    after = client.get(url)
    assert after["X-Claimbook-Cache"] == "miss" and b"Freshly edited." in after.content
    assert b"Freshly edited." not in before.content
    assert after["ETag"] != before["ETag"]
    assert client.get(listing)["ETag"] != before_list["ETag"]


def test_an_edit_posted_through_the_page_bumps_before_the_redirect_is_followed(client, editor,
                                                                              django_capture_on_commit_callbacks):
    claim = _published()
    url = reverse("claim-detail", args=[claim.pk])
    client.get(url)
    editing = Client()
    editing.force_login(editor)
    page = editing.get(reverse("claim-edit", args=[claim.pk]))
    form = page.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["statement"] = claim.statement + " Edited on its page."
    data["note"] = "test"
    with django_capture_on_commit_callbacks(execute=True):
        assert editing.post(reverse("claim-edit", args=[claim.pk]), data).status_code == 302
    assert b"Edited on its page." in client.get(url).content


def test_a_rolled_back_write_bumps_nothing(editor, django_capture_on_commit_callbacks):
    generation = kb_generation()[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _edit(_published(), editor, "Never committed.")
                raise RuntimeError
    assert callbacks == [] and kb_generation()[0] == generation


def test_one_bump_per_transaction_however_many_writes(editor, django_capture_on_commit_callbacks):
    generation = kb_generation()[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            claim = make_claim(editor)
            annotation_create(by=editor, kind="context", body="One transaction.", claim=claim)
            kb_changed()
    assert callbacks.count(kb_generation_bump) == 1
    assert kb_generation()[0] == generation + 1


def test_a_bump_registered_in_a_rolled_back_savepoint_is_registered_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    kb_changed()
                    raise RuntimeError
            except RuntimeError:
                pass
            kb_changed()
    assert callbacks.count(kb_generation_bump) == 1


def test_bumps_add_up():
    generation = kb_generation()[0]
    kb_generation_bump()
    kb_generation_bump()
    assert kb_generation()[0] == generation + 2


def test_conditional_get_answers_304_until_something_changes(client, editor, django_assert_num_queries,
                                                             django_capture_on_commit_callbacks):
    first = client.get("/claims/")
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    with django_assert_num_queries(1):
        unchanged = client.get("/claims/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"]
    assert client.get("/claims/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        _edit(_published(), editor, "Changed since the reader's copy.")
    assert client.get("/claims/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_editors_never_get_the_anonymous_page_nor_leave_theirs(client, editor):
    url = "/claims/"
    anonymous = client.get(url)
    assert b"eddie" not in anonymous.content
    signed_in = Client()
    signed_in.force_login(editor)
    mine = signed_in.get(url)
    assert "X-Claimbook-Cache" not in mine and b"eddie" in mine.content
    assert not mine["ETag"].startswith('W/"') or mine["ETag"] != anonymous["ETag"]
    # and an editor's visit stores nothing an anonymous reader is served
    caches["pages"].clear()
    signed_in.get(url)
    assert client.get(url)["X-Claimbook-Cache"] == "miss"


def test_editors_get_304_only_for_their_own_unchanged_page(editor):
    signed_in = Client()
    signed_in.force_login(editor)
    page = signed_in.get("/sources/")
    assert signed_in.get("/sources/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code in (200, 304)
    assert "X-Claimbook-Cache" not in page


def test_a_messages_cookie_or_a_token_bypasses_the_cache(client):
    client.get("/claims/")
    client.cookies["messages"] = "something"
    assert "X-Claimbook-Cache" not in client.get("/claims/")
    assert "X-Claimbook-Cache" not in Client().get("/claims/", HTTP_AUTHORIZATION="Bearer x")


def test_no_page_that_sets_a_cookie_or_is_private_is_stored():
    plain = HttpResponse(b"page")
    assert _storable(plain)
    with_cookie = HttpResponse(b"page")
    with_cookie.set_cookie("csrftoken", "abc")
    private = HttpResponse(b"page", headers={"Cache-Control": "private"})
    assert not _storable(with_cookie) and not _storable(private)
    assert not _storable(HttpResponse(b"gone", status=404))


def test_cached_pages_hold_no_csrf_token(client, seeds):
    for url in ["/", "/claims/", reverse("claim-detail", args=[_published().pk]),
                reverse("source-detail", args=[seeds["article"].slug])]:
        response = client.get(url)
        assert response["X-Claimbook-Cache"] == "miss"
        assert b"csrfmiddlewaretoken" not in response.content and not response.cookies


def test_the_json_ld_permalink_is_cached_apart_from_the_page(client):
    url = reverse("claim-detail", args=[_published().pk])
    html = client.get(url)
    data = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert data["Content-Type"].startswith("application/ld+json") and data["X-Claimbook-Cache"] == "miss"
    assert client.get(url, HTTP_ACCEPT="application/ld+json").content == data.content
    assert client.get(url).content == html.content


def test_an_admin_post_bumps_the_generation(site_admin):
    entity = Entity.objects.order_by("id").first()
    generation = kb_generation()[0]
    admin = Client()
    admin.force_login(site_admin)
    admin.post(reverse("admin:kb_entity_change", args=[entity.pk]), {})
    assert kb_generation()[0] > generation


def test_off_means_no_cache_and_no_generation_read(client, settings, django_assert_num_queries):
    settings.CLAIMBOOK_PAGE_CACHE = False
    client.get("/sources/")
    response = client.get("/sources/")
    assert "X-Claimbook-Cache" not in response


def test_a_refused_host_gets_the_usual_400_uncached():
    response = Client().get("/claims/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "X-Claimbook-Cache" not in response


@pytest.mark.django_db(databases=["default", "replica"])
def test_with_replica_reads_a_page_is_stored_when_the_replica_has_the_generation(client, settings):
    # The replica is the primary's TEST MIRROR here: always caught up.
    settings.CLAIMBOOK_REPLICA_READS = True
    assert client.get("/sources/")["X-Claimbook-Cache"] == "miss"
    assert client.get("/sources/")["X-Claimbook-Cache"] == "hit"
