"""Fixtures for the API tests: users in each role, their tokens, clients that send them."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from kb.services.tokens import token_create
from tests.factories import make_user

ROLES = ("researcher", "editor", "admin")


@pytest.fixture(autouse=True)
def fresh_rate_counters(settings):
    """Each test starts with empty rate counters (LocMem cache) and generous limits."""
    settings.CLAIMBOOK_API_RATE_PER_ADDRESS = 100_000
    settings.CLAIMBOOK_API_RATE_PER_TOKEN = 100_000
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(db):
    return {role: make_user(role, f"api-{role}") for role in ROLES}


def token_client(user, scope: str = "write") -> Client:
    _token, secret = token_create(by=user, name=f"{scope} token", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def editor_client(users):
    return token_client(users["editor"])


@pytest.fixture
def anon():
    return Client()
