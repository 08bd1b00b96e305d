"""Logins, limited per username and address; failures are counted in the database."""
from __future__ import annotations

import datetime as dt
import functools
import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from kb.models import LoginFailure


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy (TRUSTED_PROXIES),
    in which case X-Forwarded-For is read from the right, past every trusted proxy, to the
    first address no trusted proxy vouches for. Entries further left were written by the
    client and are never believed."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    trusted = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not _is_trusted(remote, trusted):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a trusted proxy wrote garbage: fall back to the proxy itself
        if not _is_trusted(address, trusted):
            return str(address)
    return remote  # only proxies all the way: the request came from inside


@functools.lru_cache(maxsize=4)
def _trusted_networks(values: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values if value)


def _address(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(value, networks) -> bool:
    address = value if not isinstance(value, str) else _address(value)
    if address is None:
        return False
    return any(address in network for network in networks if network.version == address.version)


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.CLAIMBOOK_LOGIN_LOCKOUT_SECONDS)


def login_locked(username: str, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(username=username, ip=ip, at__gte=_window_start())
    return recent.count() >= settings.CLAIMBOOK_LOGIN_MAX_FAILURES


class RateLimitedModelBackend(ModelBackend):
    """Django's model backend, refusing a username from an address after too many failures.

    While locked out even the right password is refused, so guessing gains nothing; every
    attempt in that time counts as another failure. A success clears the pair's failures.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.user_model_username_field())
        if username is None or password is None:
            return None
        username = str(username)[:150]
        ip = client_ip(request)
        if login_locked(username, ip):
            LoginFailure.objects.create(username=username, ip=ip)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            LoginFailure.objects.create(username=username, ip=ip)
        else:
            LoginFailure.objects.filter(username=username, ip=ip).delete()
        return user

    @staticmethod
    def user_model_username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
