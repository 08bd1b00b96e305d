"""Every write endpoint × every role × every way of calling: only what the role allows lands,
read-only tokens never write, and a browser session writes only with its CSRF token."""
import json

import pytest
from django.test import Client

from kb.models import Annotation, Claim, Relation
from kb.services.common import version_token
from kb.services.tokens import token_create, token_revoke
from tests.api.conftest import ROLES
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, make_candidate, make_claim

pytestmark = pytest.mark.django_db


def _selector(source, phrase):
    start = source.text.index(phrase)
    return {"start": start, "end": start + len(phrase), "exact": phrase}


def published(seeds):
    return Claim.objects.published().order_by("id").first()


WRITES = {
    "annotate claim": lambda seeds: (
        "post", f"/api/claims/{published(seeds).pk}/annotations", {"kind": "context", "body": "A note."},
        lambda: Annotation.objects.filter(body="A note.").exists(), 201,
    ),
    "annotate citation": lambda seeds: (
        "post", f"/api/citations/{published(seeds).citations.first().pk}/annotations",
        {"kind": "question", "body": "Which report?", "references": [{"url": "https://example.org/r", "title": "R"}]},
        lambda: Annotation.objects.filter(body="Which report?", references__title="R").exists(), 201,
    ),
    "annotate selection": lambda seeds: (
        "post", f"/api/sources/{seeds['article'].slug}/annotations",
        {"kind": "support", "body": "Seen elsewhere.", "selector": _selector(seeds["article"], UNIQUE_PHRASE)},
        lambda: Annotation.objects.filter(body="Seen elsewhere.", quote=UNIQUE_PHRASE).exists(), 201,
    ),
    "create claim": lambda seeds: (
        "post", f"/api/sources/{seeds['article'].slug}/claims",
        {"selector": _selector(seeds["article"], SECOND_PHRASE), "statement": "Iran hosted a conference in 1990.",
         "date_edtf": "1990", "credibility": 3, "rationale": "One source.", "stance": "states"},
        lambda: Claim.objects.filter(statement="Iran hosted a conference in 1990.", date_edtf="1990").exists(), 201,
    ),
    "edit claim": lambda seeds: (
        "patch", f"/api/claims/{published(seeds).pk}/",
        {"version": version_token(published(seeds)), "date_edtf": "1991", "note": "dated"},
        lambda: Claim.objects.filter(pk=published(seeds).pk, date_edtf="1991").exists(), 200,
    ),
    "relate claims": lambda seeds: (
        "post", f"/api/claims/{published(seeds).pk}/relations",
        {"type": "refines", "other": Claim.objects.published().order_by("-id").first().pk, "note": "narrower"},
        lambda: Relation.objects.filter(note="narrower").exists(), 201,
    ),
    "review candidate": lambda seeds: (
        "post", f"/api/claims/{_candidate(seeds).pk}/review", {"decision": "reject", "reason": "Not a claim."},
        lambda: Claim.objects.filter(statement="A candidate to review.", status="rejected").exists(), 200,
    ),
}


def _candidate(seeds):
    existing = Claim.objects.filter(statement="A candidate to review.").first()
    if existing:
        return existing
    start = seeds["article"].text.index(THIRD_PHRASE)
    return make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="A candidate to review.")


def _client(user, how):
    if how == "none":
        return Client()
    if how in ("write token", "read token"):
        _token, secret = token_create(by=user, name=how, scope=how.split()[0])
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if how == "session with csrf":
        client.get("/accounts/login/")
        client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


def expected(role, how):
    if how == "none":
        return 401, "not_authenticated"
    if how == "read token":
        return 403, "token_read_only"
    if how == "session without csrf":
        return 403, "csrf_failed"
    if role == "researcher":
        return 403, "permission_denied"
    return None, None


@pytest.mark.parametrize("how", ["none", "read token", "write token", "session without csrf", "session with csrf"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", list(WRITES))
def test_only_what_the_role_allows_lands(seeds, users, db_snapshot, write, role, how):
    method, url, payload, landed, success = WRITES[write](seeds)
    client = _client(users[role], how)
    before = db_snapshot()
    response = getattr(client, method)(url, json.dumps(payload), content_type="application/json")
    status, code = expected(role, how)
    if status is None:
        assert response.status_code == success, response.content
        assert landed()
    else:
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == code
        assert db_snapshot() == before and not landed()


def test_unknown_or_revoked_tokens_are_refused(seeds, users, db_snapshot):
    token, secret = token_create(by=users["editor"], name="soon revoked", scope="write")
    token_revoke(token=token, by=users["editor"])
    claim = published(seeds)
    before = db_snapshot()
    for header in (f"Bearer {secret}", "Bearer cb_not-a-token", f"Bearer {secret}x"):
        response = Client(HTTP_AUTHORIZATION=header).post(
            f"/api/claims/{claim.pk}/annotations", {"body": "x"}, content_type="application/json"
        )
        assert response.status_code == 401 and response.json()["code"] == "invalid_token"
        assert Client(HTTP_AUTHORIZATION=header).get("/api/claims/").status_code == 401
    assert db_snapshot() == before


def test_writes_are_recorded_with_their_author(seeds, users):
    _token, secret = token_create(by=users["editor"], name="script", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    claim = published(seeds)
    response = client.post(f"/api/claims/{claim.pk}/annotations", {"body": "By a script."}, content_type="application/json")
    annotation = Annotation.objects.get(pk=response.json()["id"])
    assert annotation.author == users["editor"] and response.json()["author"] == "api-editor"
    assert annotation.history.first().history_user == users["editor"]


def test_a_stale_edit_is_a_409_and_changes_nothing(seeds, users):
    _token, secret = token_create(by=users["editor"], name="script", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    claim = make_claim(users["editor"])
    old_version = version_token(claim)
    first = client.patch(f"/api/claims/{claim.pk}/", {"version": old_version, "date_edtf": "2001"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["date"]["edtf"] == "2001"
    second = client.patch(f"/api/claims/{claim.pk}/", {"version": old_version, "date_edtf": "2002"}, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["code"] == "stale" and second.json()["current_version"] == first.json()["version"]
    claim.refresh_from_db()
    assert claim.date_edtf == "2001"


def test_a_new_credibility_needs_a_rationale_with_the_forms_code(seeds, users):
    _token, secret = token_create(by=users["editor"], name="script", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    claim = make_claim(users["editor"], credibility=3, rationale="One source.")
    response = client.patch(f"/api/claims/{claim.pk}/", {"version": version_token(claim), "credibility": 2},
                            content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "rationale", "code": "rationale_required",
                                           "message": "Changing the credibility needs a new rationale."}]
    ok = client.patch(f"/api/claims/{claim.pk}/", {"version": version_token(claim), "credibility": 2,
                                                   "rationale": "A second, independent source."},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["grade"].endswith("2")
