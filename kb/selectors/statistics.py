"""Which tables' planner statistics are out of date (PostgreSQL), read from pg_stat_user_tables."""
from __future__ import annotations

from django.db import connection

# autovacuum's own defaults: analyze once 50 rows plus a tenth of the table have changed.
MIN_CHANGES = 50
CHANGED_FRACTION = 0.1
# Claimbook's tables and django-taggit's (the claim list joins its tagged items).
TABLE_PREFIXES = ("kb_", "taggit_")


def autovacuum_on() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('autovacuum') = 'on'")
        return bool(cursor.fetchone()[0])


def tables_needing_analyze(*, min_changes: int = MIN_CHANGES, fraction: float = CHANGED_FRACTION) -> list[str]:
    """Claimbook's tables changed by more than autovacuum's threshold since they were last
    analyzed, biggest change first (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
            "AND (" + " OR ".join("relname LIKE %s" for _ in TABLE_PREFIXES) + ") "
            "AND n_mod_since_analyze > %s + %s * n_live_tup ORDER BY n_mod_since_analyze DESC",
            [*(prefix.replace("_", r"\_") + "%" for prefix in TABLE_PREFIXES), min_changes, fraction])
        return [name for (name,) in cursor.fetchall()]
