"""Rows whose id (or a foreign key) is one of a list of ids, as one parameter where the database allows.

A thousand-id IN list costs Django and psycopg more to build and quote than PostgreSQL takes to
answer it (each id a parameter, the query text split for each). On PostgreSQL the ids go as one
array, written as its text (`field = ANY(%s::bigint[])`), on SQLite as one JSON array (`field IN
(SELECT value FROM json_each(%s))`, still a search of the field's index per id); elsewhere as
Django's IN list.
"""
from __future__ import annotations

import json

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q


class _AnyOf(Expression):
    """`field` is one of the ids, given as one parameter."""

    output_field = BooleanField()

    def __init__(self, field: str, ids):
        super().__init__()
        self.lhs, self.ids = F(field), list(ids)

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, expressions):
        (self.lhs,) = expressions

    def as_sql(self, compiler, connection):
        # The array as its text ('{1,2,3}'), cast by the server: psycopg dumps a list of ints in
        # Python, an element at a time, which cost as much as the query's own rows.
        sql, params = compiler.compile(self.lhs)
        return f"{sql} = ANY(%s::bigint[])", (*params, "{" + ",".join(map(str, map(int, self.ids))) + "}")

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"{sql} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.ids))


def one_of(field: str, ids) -> Q:
    """Rows whose `field` is one of `ids`: one parameter on PostgreSQL and SQLite, an IN list elsewhere."""
    if connection.vendor in ("postgresql", "sqlite"):
        return Q(_AnyOf(field, ids))
    return Q(**{f"{field}__in": ids})
