"""Who is calling the API: a personal token, a browser session (with CSRF on writes), or nobody.

Every request is counted against its address and, with a token, against the token too; over
the limit it is answered `429` with `Retry-After`. The counters live in Django's cache, so with
Redis every process counts the same requests (fixed one-minute windows: `cache.add` then
`cache.incr`, both atomic in Redis).
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kb.api.errors import Problem
from kb.auth import client_ip
from kb.models import ApiToken
from kb.permissions import check_permission
from kb.selectors.tokens import active_token
from kb.services.tokens import token_touch

WINDOW_SECONDS = 60


def rate_limit(kind: str, ident: str, limit: int) -> None:
    """Count one request for `ident`; over `limit` in this window, refuse with 429."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"kb-api-rate:{kind}:{ident}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS + 5)
        count = 1
    if count > limit:
        retry = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
        raise Problem(
            429, "rate_limited", f"More than {limit} requests a minute from this {kind}; wait {retry} s.",
            headers={"Retry-After": str(retry)},
        )


def _count_address(request) -> None:
    rate_limit("address", client_ip(request) or "unknown", settings.CLAIMBOOK_API_RATE_PER_ADDRESS)


def _permitted(request, user, perm: str | None):
    """Checked here, in authentication, so that a write is refused before its body is read."""
    if perm is not None:
        try:
            check_permission(user, perm)
        except PermissionDenied as exc:
            raise Problem(403, "permission_denied", str(exc)) from None
    return user


def _body_within_limit(request, limit: int | None = None) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = limit or settings.CLAIMBOOK_API_MAX_BODY_BYTES
    if length > limit:
        raise Problem(400, "too_large", f"The request body is over {limit} bytes.")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cb_...`: a personal token; read tokens are refused on writes."""

    def __init__(self, *, write: bool, perm: str | None = None, max_body: int | None = None):
        self.write, self.perm, self.max_body = write, perm, max_body
        super().__init__()

    def authenticate(self, request, token):
        _count_address(request)
        api_token = active_token(token)
        if api_token is None:
            raise Problem(
                401, "invalid_token", "This token is unknown or was revoked.",
                headers={"WWW-Authenticate": 'Bearer realm="claimbook", error="invalid_token"'},
            )
        rate_limit("token", str(api_token.pk), settings.CLAIMBOOK_API_RATE_PER_TOKEN)
        if self.write and api_token.scope != ApiToken.Scope.WRITE:
            raise Problem(403, "token_read_only", "This token may only read; create a write token to change data.")
        _permitted(request, api_token.user, self.perm)
        if self.write:
            _body_within_limit(request, self.max_body)
        token_touch(token=api_token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; writes also need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, perm: str | None = None, write: bool = False, max_body: int | None = None):
        self.perm, self.write, self.max_body = perm, write, max_body
        super().__init__(csrf=True)

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request):
            raise Problem(403, "csrf_failed", "Writes from a browser session need the CSRF token (X-CSRFToken).")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if key is None:
            return None
        _count_address(request)
        _permitted(request, request.user, self.perm)
        if self.write:
            _body_within_limit(request, self.max_body)
        return request.user


class Anonymous:
    """Reads need no credentials: the caller reads what an anonymous visitor sees."""

    def __call__(self, request):
        _count_address(request)
        request.user = AnonymousUser()
        return request.user


READ = [TokenAuth(write=False), SessionAuth(), Anonymous()]


def write(perm: str, *, max_body: int | None = None) -> list:
    """Authentication for a write that needs `perm`: a write token or a session with CSRF."""
    return [TokenAuth(write=True, perm=perm, max_body=max_body), SessionAuth(perm=perm, write=True, max_body=max_body)]


def read(perm: str) -> list:
    """Authentication for a read that needs `perm` (any token, or a session)."""
    return [TokenAuth(write=False, perm=perm), SessionAuth(perm=perm)]
