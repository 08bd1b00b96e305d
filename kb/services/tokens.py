"""Personal API tokens: created with a secret shown once, stored as its SHA-256, revoked by their owner."""
from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kb.models import ApiToken
from kb.selectors.tokens import token_hash

# "cb_" tells a Claimbook secret apart in a script or a leaked log; the rest is 256 random bits.
SECRET_PREFIX = "cb_"
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def token_create(*, by, name: str, scope: str) -> tuple[ApiToken, str]:
    """The new token and its secret; the secret is not stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ValidationError("Name the token (what script uses it?).", code="required")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": ValidationError("Choose read or write.", code="invalid_choice")})
    if ApiToken.objects.filter(user=by, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            "Revoke a token first: at most %(max)d can be active.", code="too_many_tokens",
            params={"max": MAX_ACTIVE_TOKENS},
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=by, name=name, scope=scope, prefix=secret[:10], key_hash=token_hash(secret))
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    current = ApiToken.objects.select_for_update().get(pk=token.pk, user=by)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
    return current


def token_touch(*, token: ApiToken) -> None:
    """Record when a token was last used, at most once a minute (reads should not write every time)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
