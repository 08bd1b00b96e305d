"""Reads of API tokens: a user's own list, and the token a secret belongs to."""
from __future__ import annotations

import hashlib

from kb.models import ApiToken


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def user_tokens(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id"))


def active_token(secret: str) -> ApiToken | None:
    """The active token whose secret this is (one indexed lookup on the hash), with its user."""
    if not secret or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
