"""Planner statistics kept fresh where nothing else keeps them.

A knowledge base grows in bulk (imports, batch loads). Without fresh statistics PostgreSQL
plans for the tables as they were: a claim list or a candidate match that walks an index at
a million rows may be planned as a scan. autovacuum analyzes changed tables by itself; where
an operator has turned it off, the job workers' housekeeping does the same (only the tables
changed past autovacuum's threshold). SQLite keeps no automatic statistics: `PRAGMA optimize`
is its recommended periodic call, and analyzes only what needs it.
"""
from __future__ import annotations

import logging

from django.db import connection

from kb.selectors.statistics import CHANGED_FRACTION, MIN_CHANGES, autovacuum_on, tables_needing_analyze

logger = logging.getLogger(__name__)


def database_statistics_refresh(*, even_with_autovacuum: bool = False, min_changes: int = MIN_CHANGES,
                                fraction: float = CHANGED_FRACTION) -> list[str]:
    """Analyze what needs it; returns the tables analyzed (on SQLite, `["PRAGMA optimize"]`)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
        return ["PRAGMA optimize"]
    if connection.vendor != "postgresql" or (autovacuum_on() and not even_with_autovacuum):
        return []
    tables = tables_needing_analyze(min_changes=min_changes, fraction=fraction)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    if tables:
        logger.info("statistics refreshed", extra={"tables": tables})
    return tables
