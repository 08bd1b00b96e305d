"""What every write shares: history records with their author, and stale-edit protection.

Each changed row gets a history record (django-simple-history) carrying the author and,
where there is one, the reason. Edits made against an older version are refused with
StaleEdit, never silently applied.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError


class StaleEdit(ValidationError):
    """Someone else saved a newer version; `current` is that version."""

    def __init__(self, current):
        super().__init__(
            "Someone else changed this while you were editing. Their version is shown; "
            "nothing of yours was saved.",
            code="stale",
        )
        self.current = current


def version_token(obj) -> str:
    return obj.updated_at.isoformat()


def recorded(obj, by, reason: str = ""):
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    return obj


def save_recorded(obj, by, reason: str = ""):
    obj.full_clean()
    recorded(obj, by, reason).save()
    return obj


def check_version(current, version: str | None) -> None:
    if version is not None and version != version_token(current):
        raise StaleEdit(current)
