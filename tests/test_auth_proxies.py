"""The login limit keys on the real client address: X-Forwarded-For is believed only from a
trusted proxy, and read from the right, so a client cannot pick the address it is counted under."""
import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from kb.auth import client_ip
from kb.models import LoginFailure

PASSWORD = "a-long-enough-password-for-tests"


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("trusted, remote, forwarded, expected", [
    ([], "10.0.0.5", "1.2.3.4", "10.0.0.5"),                        # no proxies configured: never believed
    (["10.0.0.5"], "203.0.113.9", "1.2.3.4", "203.0.113.9"),        # not from the proxy: ignored
    (["10.0.0.5"], "10.0.0.5", "198.51.100.7", "198.51.100.7"),     # one proxy
    (["10.0.0.5"], "10.0.0.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own claim is skipped
    (["10.0.0.0/24"], "10.0.0.5", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies
    (["10.0.0.5"], "10.0.0.5", "198.51.100.7:51234", "198.51.100.7"),  # with a port
    (["10.0.0.5"], "10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
    (["10.0.0.5"], "10.0.0.5", "not-an-address", "10.0.0.5"),        # garbage: the proxy itself
    (["10.0.0.5"], "10.0.0.5", None, "10.0.0.5"),
    (["::1", "127.0.0.1"], "::1", "192.0.2.44", "192.0.2.44"),
])
def test_client_address_behind_trusted_proxies(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(request_from(remote, forwarded)) == expected


def test_behind_a_proxy_one_attacker_cannot_lock_a_username_for_everyone(db, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CLAIMBOOK_LOGIN_MAX_FAILURES = 3
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_user("shared-name", password=PASSWORD)
    login = reverse("login")
    for spoofed in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"):
        # The attacker varies the header it sends; the proxy appends the real address.
        client.post(login, {"username": "shared-name", "password": "wrong"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{spoofed}, 198.51.100.66")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"198.51.100.66"}
    # The real user, from their own address through the same proxy, signs in.
    response = client.post(login, {"username": "shared-name", "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert response.status_code == 302
