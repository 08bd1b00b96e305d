"""Planner statistics kept fresh by the workers' housekeeping where autovacuum is off."""
import pytest

from django.db import connection

from kb.selectors.statistics import tables_needing_analyze
from kb.services.statistics import database_statistics_refresh

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stat_user_tables is PostgreSQL's")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PRAGMA optimize is SQLite's")
def test_sqlite_runs_its_own_periodic_optimize(db):
    assert database_statistics_refresh() == ["PRAGMA optimize"]


@on_postgresql
def test_postgresql_analyzes_exactly_the_tables_past_the_threshold(db):
    every_table = tables_needing_analyze(min_changes=-1, fraction=0)
    assert "kb_claim" in every_table and "taggit_taggeditem" in every_table
    assert all(name.startswith(("kb_", "taggit_")) for name in every_table)
    assert "django_session" not in every_table and "auth_user" not in every_table
    assert tables_needing_analyze(min_changes=10**12) == []

    analyzed = database_statistics_refresh(even_with_autovacuum=True, min_changes=-1, fraction=0)
    assert analyzed == every_table
    assert database_statistics_refresh(even_with_autovacuum=True, min_changes=10**12) == []


@on_postgresql
def test_postgresql_leaves_it_to_autovacuum_when_that_is_on(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('autovacuum')")
        autovacuum = cursor.fetchone()[0]
    analyzed = database_statistics_refresh(min_changes=-1, fraction=0)
    if autovacuum == "on":
        assert analyzed == []
    else:
        assert "kb_claim" in analyzed
