"""Keyset comparisons as one SQL row value, `(date_sort, id) > (%s, %s)`, on SQLite too.

Django 5.2 writes a tuple comparison on SQLite as `date_sort > x OR (date_sort = x AND id > y)`,
which SQLite's planner answers by searching the list's index for the claim's status alone and
filtering from the first row of that status: every chunk of a keyset walk (an export, a deep
API page) read again every row before it, so a walk grew with the square of its length.
SQLite has compared row values since 3.15 (Django 5.2 needs 3.31) and starts its index search
at the row value itself (`SEARCH kb_claim USING INDEX claim_list_date (status=? AND
date_sort>?)`), as PostgreSQL does.
"""
from __future__ import annotations

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.lookups import GreaterThan, LessThan


class _After(TupleGreaterThan):
    def as_sqlite(self, compiler, connection):
        return GreaterThan.as_sql(self, compiler, connection)  # the row value, not Django's ORs


class _Before(TupleLessThan):
    def as_sqlite(self, compiler, connection):
        return LessThan.as_sql(self, compiler, connection)


def rows_after(order: tuple[str, ...], key) -> _After | _Before:
    """Rows after `key` (a value per field) in `order` (fields, all ascending or all "-"
    descending), as one row-value comparison: an index walk starting at that row."""
    directions = {field.startswith("-") for field in order}
    if len(directions) != 1:
        raise ValueError("a keyset needs one direction for all its keys")
    lookup = _Before if directions.pop() else _After
    return lookup(Tuple(*(F(field.lstrip("-")) for field in order)), tuple(key))
