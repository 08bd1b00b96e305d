"""Keyset comparisons as one row value (kb.selectors.row_values): the rows after a key in any
of the claim list's sorts, and on SQLite an index search that starts at that key instead of
re-reading every row before it."""
import pytest
from django.db import connection

from kb.models import Claim
from kb.selectors.claims import SORTS
from kb.selectors.row_values import rows_after

pytestmark = pytest.mark.django_db

KEYSETS = [order for order in SORTS.values() if order]


@pytest.mark.parametrize("order", KEYSETS)
def test_the_rows_after_a_key_are_the_rest_of_the_sort(curated, order):
    fields = [field.lstrip("-") for field in order]
    claims = Claim.objects.filter(status="published", merged_into__isnull=True).order_by(*order)
    keys = list(claims.values_list(*fields))
    assert len(keys) > 100
    for position in (0, 1, len(keys) // 3, len(keys) // 2, len(keys) - 2, len(keys) - 1):
        after = claims.filter(rows_after(order, keys[position])).values_list(*fields)
        assert list(after) == keys[position + 1:]


def test_mixed_directions_are_refused():
    with pytest.raises(ValueError):
        rows_after(("date_sort", "-id"), (None, 1))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL writes Django's row values itself")
def test_sqlite_searches_the_lists_index_from_the_key(db):
    claims = Claim.objects.filter(status="published", merged_into__isnull=True)
    for order, searched in ((("date_sort", "id"), "date_sort>?"),
                            (("-credibility_sort", "-date_sort", "-id"), "(credibility_sort,date_sort)<(?,?)")):
        walk = claims.filter(rows_after(order, (3, "2001-01-01", 7)[-len(order):])).order_by(*order)
        sql, params = walk.values_list("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert searched in plan, plan
