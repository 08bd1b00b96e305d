"""Logins: failed attempts limited per username and address."""
import pytest
from django.urls import reverse
from kb.models import LoginFailure
from tests.factories import PASSWORD, make_user


@pytest.fixture
def quick_lockout(settings):
    settings.CLAIMBOOK_LOGIN_MAX_FAILURES = 3
    settings.CLAIMBOOK_LOGIN_LOCKOUT_SECONDS = 600
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_failed_logins_are_limited_per_username_and_address(db, quick_lockout, client):
    make_user("editor", "locky", password=PASSWORD)
    login = reverse("login")
    for _ in range(3):
        assert client.post(login, {"username": "locky", "password": "wrong"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    locked = client.post(login, {"username": "locky", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="locky", ip="10.0.0.1").count() == 4
    elsewhere = client.post(login, {"username": "locky", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 302 and client.session["_auth_user_id"]
    assert not LoginFailure.objects.filter(username="locky", ip="10.0.0.2").exists()
