"""The knowledge base's generation as one tiny primary-key read (see kb.services.generation)."""
from __future__ import annotations

from django.db import connections

from kb.models import KbGeneration
from kb.models.caching import GENERATION_ROW

_SQL = f"SELECT value, changed_at FROM {KbGeneration._meta.db_table} WHERE id = %s"


def kb_generation(using: str = "default") -> tuple[int, float]:
    """(generation, when it last changed in seconds since 1970), read from `using` (the primary
    unless told). Plain SQL: it runs on every anonymous page view, and building the ORM query
    cost more than running it."""
    with connections[using].cursor() as cursor:
        cursor.execute(_SQL, [GENERATION_ROW])
        row = cursor.fetchone()
    return (int(row[0]), float(row[1])) if row is not None else (0, 0.0)
