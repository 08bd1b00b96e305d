"""Every write that changes what a page shows bumps the knowledge base's generation.

`kb_changed()` is called by the services (kb.services.common.recorded covers every write that
records history; imports, the copy check, candidates and the curated load call it
themselves). The bump runs when the write's transaction commits (`transaction.on_commit`), at
most once per transaction, before the writer's response is sent: a page request that starts
after an edit was acknowledged reads the new generation, and a rolled-back write bumps nothing.
"""
from __future__ import annotations

import time

from django.db import connection, transaction
from django.db.models import F

from kb.models import KbGeneration
from kb.models.caching import GENERATION_ROW


def kb_generation_bump() -> None:
    """One UPDATE with F(): concurrent bumps from many processes never lose one."""
    now = time.time()
    if not KbGeneration.objects.filter(pk=GENERATION_ROW).update(value=F("value") + 1, changed_at=now):
        # The migration creates the row; a database flushed since (a test's flush) has none.
        KbGeneration.objects.get_or_create(pk=GENERATION_ROW, defaults={"value": 2, "changed_at": now})


def kb_changed() -> None:
    """Bump the generation once the current transaction commits (at once outside one)."""
    # One already registered covers this write: the savepoints it depends on that are still
    # open enclose this write too (those since released cannot be rolled back on their own),
    # and one registered inside a savepoint that was rolled back has left the list.
    if any(func is kb_generation_bump for _sids, func, _robust in connection.run_on_commit):
        return
    # robust: the write has committed whatever happens here; a failed bump is logged, and the
    # cached pages it should have retired expire within CLAIMBOOK_PAGE_CACHE_SECONDS.
    transaction.on_commit(kb_generation_bump, robust=True)
