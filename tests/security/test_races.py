"""Every versioned form refuses the second of two saves made from the same version (issue 13,
fuzzing suite: races). Pages and the admin, loaded by two people, saved one after the other;
and on PostgreSQL, saved at the same instant from two threads."""
from __future__ import annotations

import re
import threading

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kb.models import Annotation, Claim
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from tests.browser.conftest import ensure_curated_data
from tests.security.admin_forms import admin_form_data
from tests.factories import THIRD_PHRASE, article, client_for, make_candidate, make_claim, make_user

STALE = "Someone else changed this while you were editing"
FIELDS = {"kind": "event", "date_edtf": "", "date_wording": "", "credibility": "", "rationale": ""}


def _version(html: str) -> str:
    return re.search(r'name="version" value="([^"]*)"', html)[1]


@pytest.fixture
def two(db):
    first, second = make_user("editor", "eddie"), make_user("editor", "edna")
    return first, second, client_for(first), client_for(second)


def test_claim_edit_race(two):
    eddie, _edna, first, second = two
    claim = make_claim(eddie, statement="Original.")
    url = reverse("claim-edit", args=[claim.pk])
    v1, v2 = _version(first.get(url).content.decode()), _version(second.get(url).content.decode())
    assert first.post(url, {**FIELDS, "statement": "First.", "version": v1}).status_code == 302
    response = second.post(url, {**FIELDS, "statement": "Second.", "version": v2})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == "First."


def test_annotation_edit_race_between_two_tabs_of_its_author(two):
    eddie, _edna, first, _second = two
    other_tab = client_for(eddie)
    note = annotation_services.annotation_create(by=eddie, kind="context", body="Original.", claim=make_claim(eddie))
    url = reverse("annotation-edit", args=[note.pk])
    v1, v2 = _version(first.get(url).content.decode()), _version(other_tab.get(url).content.decode())
    assert first.post(url, {"kind": "context", "body": "First.", "version": v1}).status_code == 302
    response = other_tab.post(url, {"kind": "dispute", "body": "Second.", "version": v2})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert Annotation.objects.get(pk=note.pk).body == "First."


def test_retract_race_with_an_edit(two):
    eddie, _edna, first, second = two
    claim = make_claim(eddie, statement="Original.")
    retract_version = _version(first.get(reverse("claim-retract", args=[claim.pk])).content.decode())
    edit = reverse("claim-edit", args=[claim.pk])
    assert second.post(edit, {**FIELDS, "statement": "Corrected.", "version": _version(second.get(edit).content.decode())}).status_code == 302
    response = first.post(reverse("claim-retract", args=[claim.pk]), {"reason": "Wrong.", "version": retract_version})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED


def test_reopen_race(two):
    eddie, _edna, first, second = two
    claim = make_claim(eddie, statement="Original.")
    claim_services.claim_retract(claim=claim, by=eddie, reason="Wrong.")
    url = reverse("claim-reopen", args=[claim.pk])
    v1, v2 = _version(first.get(url).content.decode()), _version(second.get(url).content.decode())
    assert first.post(url, {"reason": "Right after all.", "version": v1}).status_code == 302
    response = second.post(url, {"reason": "Me too.", "version": v2})
    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).history.filter(history_change_reason__startswith="reopened").count() == 1


def test_review_accept_race_with_an_edit_of_the_candidate(two):
    eddie, _edna, first, second = two
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="As extracted.", credibility=None)
    queue = first.get(reverse("review-queue")).content.decode()
    row = queue[queue.index(f'action="{reverse("review-accept", args=[candidate.pk])}"'):]
    accept_version = _version(row)
    edit = reverse("claim-edit", args=[candidate.pk])
    assert second.post(edit, {**FIELDS, "statement": "Corrected.", "version": _version(second.get(edit).content.decode())}).status_code == 302
    prefix = f"c{candidate.pk}-"
    response = first.post(reverse("review-accept", args=[candidate.pk]), {
        **{prefix + k: v for k, v in {**FIELDS, "statement": "As extracted."}.items()}, "version": accept_version,
    }, follow=True)
    assert STALE in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.status, candidate.statement) == (Claim.Status.CANDIDATE, "Corrected.")


# The admin's change forms are raced against the pages in tests/security/test_admin_versions.py
# (claims, annotations, entities); here, the same claim race through the admin twice.

def test_two_admins_on_the_same_claim(db):
    claim = make_claim(make_user("editor", "eddie"), statement="Original.")
    ada, abe = client_for(make_user("admin", "ada")), client_for(make_user("admin", "abe"))
    url = reverse("admin:kb_claim_change", args=[claim.pk])
    first, second = admin_form_data(ada.get(url)), admin_form_data(abe.get(url))
    assert ada.post(url, {**first, "tags": "first"}).status_code == 302
    response = abe.post(url, {**second, "tags": "second"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert list(Claim.objects.get(pk=claim.pk).tags.names()) == ["first"]


# At the same instant, on PostgreSQL (SQLite runs one writer at a time by design).

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
ROUNDS = 5


def _at_once(*posts):
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def run(index, post):
        from django.db import connection

        try:
            barrier.wait()
            results[index] = post()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(scope="module")
def reseed_after_flush(django_db_blocker):
    """A transactional test ends with a flush of every table: put back the curated data."""
    yield
    with django_db_blocker.unblock():
        ensure_curated_data()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs concurrent connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_lose_nothing(reseed_after_flush):
    """Two editors change the statement of one version at once while an admin tags it. The
    editors changed the same field, so at most one of them saves (the other is shown the
    conflict); the admin's tags may land beside it (an editor's stale save is merged per
    field), and whatever was answered as saved is in the claim."""
    ensure_curated_data()
    eddie, edna = make_user("editor", "eddie"), make_user("editor", "edna")
    admin = make_user("admin", "ada")
    for round_ in range(ROUNDS):
        claim = make_claim(eddie, statement=f"Round {round_}.")
        url = reverse("claim-edit", args=[claim.pk])
        admin_url = reverse("admin:kb_claim_change", args=[claim.pk])
        page_a, page_b, admin_client = client_for(eddie), client_for(edna), client_for(admin)
        version = _version(page_a.get(url).content.decode())
        admin_data = admin_form_data(admin_client.get(admin_url))
        responses = _at_once(
            lambda: page_a.post(url, {**FIELDS, "statement": "Eddie's.", "version": version}),
            lambda: page_b.post(url, {**FIELDS, "statement": "Edna's.", "version": version}),
            lambda: admin_client.post(admin_url, {**admin_data, "tags": "admin"}),
        )
        saved = [r.status_code == 302 for r in responses]
        claim.refresh_from_db()
        assert any(saved), [r.status_code for r in responses]
        assert saved[0] + saved[1] <= 1, "both editors' statements were answered as saved"
        statement = "Eddie's." if saved[0] else "Edna's." if saved[1] else f"Round {round_}."
        assert claim.statement == statement
        assert (list(claim.tags.names()) == ["admin"]) == saved[2]
