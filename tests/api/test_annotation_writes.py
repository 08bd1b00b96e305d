"""Editing and hiding annotations through the API: the author edits (with stale-edit protection),
an admin hides and shows again, and nobody else changes anything."""
import json

import pytest
from django.test import Client

from kb.models import Annotation, Claim
from kb.services.annotations import annotation_create
from kb.services.common import version_token
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(seeds, users):
    claim = Claim.objects.published().order_by("id").first()
    return annotation_create(by=users["editor"], kind="context", body="First words.", claim=claim)


def _patch(client, note, **fields):
    body = {"version": version_token(note), **fields}
    return client.patch(f"/api/annotations/{note.pk}/", json.dumps(body), content_type="application/json")


def test_the_author_edits_and_the_change_is_recorded(note, users):
    response = _patch(token_client(users["editor"]), note, body="Better words.", kind="question")
    assert response.status_code == 200, response.content
    assert response.json()["body"] == "Better words." and response.json()["kind"] == "question"
    note.refresh_from_db()
    assert (note.kind, note.body) == ("question", "Better words.")
    assert note.history.first().history_user == users["editor"]


def test_only_the_author_edits(note, users, db_snapshot):
    callers = (
        (token_client(users["admin"]), 403, "permission_denied"),
        (token_client(users["researcher"]), 403, "permission_denied"),
        (token_client(users["editor"], scope="read"), 403, "token_read_only"),
        (Client(), 401, "not_authenticated"),
    )
    before = db_snapshot()
    for client, status, code in callers:
        response = _patch(client, note, body="Not yours.")
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json" and response.json()["code"] == code
    assert db_snapshot() == before
    note.refresh_from_db()
    assert note.body == "First words."


def test_a_stale_edit_is_a_409_and_changes_nothing(note, users):
    client = token_client(users["editor"])
    old = version_token(note)
    assert _patch(client, note, body="Second words.").status_code == 200
    stale = client.patch(f"/api/annotations/{note.pk}/", json.dumps({"version": old, "body": "Third words."}),
                         content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    note.refresh_from_db()
    assert note.body == "Second words." and stale.json()["current_version"] == version_token(note)


def test_session_edits_need_the_csrf_token(note, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    response = _patch(client, note, body="Without a token.")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    client.get("/accounts/login/")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    assert _patch(client, note, body="With a token.").status_code == 200


def test_an_empty_or_unknown_field_is_refused(note, users, db_snapshot):
    client = token_client(users["editor"])
    before = db_snapshot()
    assert _patch(client, note, body="").status_code in (400, 422)
    assert _patch(client, note, colour="red").status_code in (400, 422)
    assert db_snapshot() == before


def test_an_admin_hides_with_a_reason_and_shows_again(note, users):
    admin = token_client(users["admin"])
    missing_reason = admin.post(f"/api/annotations/{note.pk}/hide", "{}", content_type="application/json")
    assert missing_reason.status_code in (400, 422)
    hidden = admin.post(f"/api/annotations/{note.pk}/hide", json.dumps({"reason": "Off topic."}),
                        content_type="application/json")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert Annotation.objects.get(pk=note.pk).hidden_reason == "Off topic."
    # Hidden means gone for everyone but those who may hide.
    assert Client().get(f"/api/annotations/{note.pk}/").status_code == 404
    assert token_client(users["editor"]).get(f"/api/annotations/{note.pk}/").status_code == 404
    shown = admin.post(f"/api/annotations/{note.pk}/unhide")
    assert shown.status_code == 200 and shown.json()["hidden"] is False
    assert Client().get(f"/api/annotations/{note.pk}/").status_code == 200


def test_only_admins_hide(note, users, db_snapshot):
    clients = [token_client(users[role]) for role in ("researcher", "editor")]
    before = db_snapshot()
    for client in clients:
        response = client.post(
            f"/api/annotations/{note.pk}/hide", json.dumps({"reason": "Mine to hide?"}), content_type="application/json"
        )
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert db_snapshot() == before and not Annotation.objects.get(pk=note.pk).is_hidden
