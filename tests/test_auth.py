"""Logins: failed attempts limited per username and address."""
import re

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


def test_wrong_password_and_lockout_say_different_things_for_any_username(db, quick_lockout, client):
    """Issue 11: a lockout is not 'wrong password'; and the same words come whether the account exists or not."""
    make_user("editor", "locky", password=PASSWORD)
    login = reverse("login")
    pages = {}
    for username in ("locky", "nobody-by-this-name"):
        first = client.post(login, {"username": username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9").content.decode()
        assert "do not match" in first and "paused" not in first
        for _ in range(2):
            client.post(login, {"username": username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
        pages[username] = client.post(login, {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9").content.decode()
        assert "logins for it are paused for 10 minutes" in pages[username] and "do not match" not in pages[username]
    errors = {name: re.search(r'<div class="form-errors".*?</div>', html, re.S)[0] for name, html in pages.items()}
    assert errors["locky"] == errors["nobody-by-this-name"]
