"""The knowledge base's generation as one tiny primary-key read (see kb.services.generation)."""
from __future__ import annotations

from datetime import datetime, timezone

from kb.models import KbGeneration
from kb.models.caching import GENERATION_ROW

_NEVER = datetime(2000, 1, 1, tzinfo=timezone.utc)


def kb_generation(using: str = "default") -> tuple[int, datetime]:
    """(generation, when it last changed), read from `using` (the primary unless told)."""
    row = KbGeneration.objects.using(using).filter(pk=GENERATION_ROW).values_list("value", "changed_at").first()
    return row if row is not None else (0, _NEVER)
