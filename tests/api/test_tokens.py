"""Personal API tokens: made and revoked on the account page, shown once, stored hashed,
reachable only by their owner; rate limits per token and per address."""
import hashlib
import re

import pytest
from django.test import Client

from kb.models import ApiToken
from kb.services.tokens import token_create
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_stored_only_as_its_hash(users):
    client = client_for(users["editor"])
    response = client.post("/accounts/tokens/", {"name": "notebook", "scope": "write"})
    secret = re.search(r'id="token-secret">([^<]+)<', response.content.decode())[1]
    token = ApiToken.objects.get(user=users["editor"])
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in token.key_hash
    assert all(secret not in str(getattr(token, f.attname)) or f.name == "prefix" for f in ApiToken._meta.fields)
    assert secret not in client.get("/accounts/tokens/").content.decode()
    me = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/me").json()
    assert me == {"username": "api-editor", "authenticated": True, "roles": ["editor"], "token_scope": "write"}


def test_revoking_a_token_stops_it_and_only_its_owner_can(users):
    token, secret = token_create(by=users["editor"], name="old", scope="read")
    assert client_for(users["admin"]).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/me").status_code == 200
    client_for(users["editor"]).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/me").status_code == 401


def test_other_users_tokens_are_not_listed_and_the_page_needs_a_login(users):
    token_create(by=users["editor"], name="eddies-secret-script", scope="read")
    assert "eddies-secret-script" not in client_for(users["admin"]).get("/accounts/tokens/").content.decode()
    assert Client().get("/accounts/tokens/").status_code == 302
    assert "eddies-secret-script" not in Client().get("/api/openapi.json").content.decode()


def test_a_token_needs_a_name(users, db_snapshot):
    before = db_snapshot()
    response = client_for(users["researcher"]).post("/accounts/tokens/", {"name": " ", "scope": "write"})
    assert response.status_code == 400 and db_snapshot() == before


def test_too_many_requests_from_an_address_get_429_with_retry_after(settings, anon, seeds):
    settings.CLAIMBOOK_API_RATE_PER_ADDRESS = 3
    statuses = [anon.get("/api/entities/?limit=1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = anon.get("/api/entities/?limit=1")
    assert limited["Content-Type"] == "application/problem+json" and limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 61
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.get("/api/entities/?limit=1").status_code == 200


def test_a_token_has_its_own_limit(settings, users, seeds):
    settings.CLAIMBOOK_API_RATE_PER_TOKEN = 2
    _token, secret = token_create(by=users["researcher"], name="busy", scope="read")
    _other, other_secret = token_create(by=users["researcher"], name="calm", scope="read")
    busy = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [busy.get("/api/me").status_code for _ in range(3)] == [200, 200, 429]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other_secret}").get("/api/me").status_code == 200
