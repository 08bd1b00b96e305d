"""Opaque, signed keyset cursors: a page starts after the last row of the previous one.

A cursor holds the sort and the sort-key values of the last row shown, signed with the
SECRET_KEY (django.core.signing), so a page is an index walk from there whatever its depth;
a cursor that was changed, or made for another sort, is refused with a 400 problem.
"""
from __future__ import annotations

import datetime as dt

from django.core import signing

from kb.api.errors import Problem
from kb.selectors.row_values import rows_after

SALT = "kb.api.cursor"
MAX_OFFSET = 10_000  # relevance order (full-text rank) pages by offset, as far as this


def _plain(value):
    if isinstance(value, dt.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    return value


def _typed(value):
    if isinstance(value, list) and len(value) == 2 and value[0] in ("d", "dt"):
        return dt.date.fromisoformat(value[1]) if value[0] == "d" else dt.datetime.fromisoformat(value[1])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise ValueError("unexpected value in a cursor")


def encode(scope: str, sort: str, *, values=None, offset: int | None = None) -> str:
    payload = {"scope": scope, "sort": sort}
    if offset is not None:
        payload["offset"] = offset
    else:
        payload["after"] = [_plain(v) for v in values]
    return signing.dumps(payload, salt=SALT, compress=True)


def decode(cursor: str, scope: str, sort: str) -> dict:
    try:
        payload = signing.loads(cursor, salt=SALT)
        if payload.get("scope") != scope or payload.get("sort") != sort:
            raise ValueError("made for another list")
        if "offset" in payload:
            offset = payload["offset"]
            if not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
                raise ValueError("offset out of range")
            return {"offset": offset}
        return {"after": [_typed(v) for v in payload["after"]]}
    except (signing.BadSignature, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Problem(
            400, "invalid_cursor",
            "This cursor is not one the API gave out for this list and sort; start from the first page.",
        ) from exc


def after(ordering: tuple[str, ...], values: list):
    """Rows after `values` in `ordering` (fields, each "-" for descending), as one row-value
    comparison, `(credibility_sort, date_sort, id) > (3, '2003-01-01', 71)`, which PostgreSQL
    and SQLite answer by starting their walk of the matching index at exactly that row (every
    sort keeps one direction for all its keys; kb.selectors.row_values)."""
    if len(values) != len(ordering):
        raise Problem(400, "invalid_cursor", "This cursor does not fit this sort; start from the first page.")
    return rows_after(ordering, values)


def key_values(obj, ordering: tuple[str, ...]) -> list:
    return [getattr(obj, field.lstrip("-")) for field in ordering]
