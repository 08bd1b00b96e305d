"""Logins, limited per username and address; failures are counted in the database."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from kb.models import LoginFailure


def client_ip(request) -> str | None:
    # Behind a proxy, REMOTE_ADDR must be set to the client address by the WSGI server.
    return request.META.get("REMOTE_ADDR") if request is not None else None


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
