"""What every write shares: history records with their author, stale-edit protection, and
the generation bump that retires cached pages (kb.services.generation).

Each changed row gets a history record (django-simple-history) carrying the author and,
where there is one, the reason. Edits made against an older version are refused with
StaleEdit, never silently applied.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError

from kb.services.generation import kb_changed


class StaleEdit(ValidationError):
    """Someone else saved a newer version; `current` is that version."""

    def __init__(self, current, message: str = ""):
        super().__init__(
            message or "Someone else changed this while you were editing. Their version is shown; "
            "nothing of yours was saved.",
            code="stale",
        )
        self.current = current


class EditConflict(StaleEdit):
    """A stale edit that a per-field merge could not settle: both editors changed the fields in
    `conflicts`. `merged` holds every field merged (theirs where you changed nothing, yours where
    only you did; yours for the conflicts, until you choose); `mine` what you sent."""

    def __init__(self, current, *, merged: dict, mine: dict, conflicts: list[str]):
        super().__init__(
            current,
            "Someone else changed this while you were editing, and you both changed the same field. "
            "Choose yours or theirs for each; nothing was saved yet.",
        )
        self.merged, self.mine, self.conflicts = merged, mine, conflicts


def version_token(obj) -> str:
    return obj.updated_at.isoformat()


def recorded(obj, by, reason: str = ""):
    """Mark `obj` for its history record (its author, why); every write that passes here also
    retires the cached pages when it commits."""
    kb_changed()
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


def _same(a, b) -> bool:
    # Browsers send line breaks as CRLF; the stored value has LF.
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()
    return a == b


def merge_fields(base: dict | None, mine: dict, theirs: dict) -> tuple[dict, list[str]]:
    """A three-way merge, field by field, of an edit made on `base` (the version the editor
    loaded; None when it is unknown) with the version saved since (`theirs`).

    A field the editor left as loaded takes theirs; a field only the editor changed takes the
    editor's; a field both changed, differently, is a conflict (and keeps the editor's value
    until they choose). With no base, every difference is a conflict.
    Returns (merged, names of the conflicting fields in `mine`'s order)."""
    merged, conflicts = {}, []
    for name, value in mine.items():
        other = theirs[name]
        if base is not None and _same(value, base[name]):
            merged[name] = other
        elif _same(value, other) or (base is not None and _same(other, base[name])):
            merged[name] = value
        else:
            merged[name] = value
            conflicts.append(name)
    return merged, conflicts
