"""Read replicas: anonymous page views read from `replica`; everything else uses the primary.

When DATABASE_REPLICA_URL is set the settings add a `replica` alias and this router. Which
database a request reads from is decided once per request by `ReplicaReadsMiddleware` and
kept in a context variable (per thread and per task, so concurrent requests never mix):
anonymous GET and HEAD requests (no session, no API token) read from the replica, which may lag the primary by a moment;
writes, and every read of a signed-in user (an editor must see their own edits at once), go
to the primary. Code outside requests (commands, jobs) always uses the primary.
"""
from __future__ import annotations

import contextvars

from django.conf import settings

REPLICA = "replica"
_reads_from: contextvars.ContextVar[str | None] = contextvars.ContextVar("claimbook_reads_from", default=None)


def replica_reads_enabled() -> bool:
    return REPLICA in settings.DATABASES and settings.CLAIMBOOK_REPLICA_READS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads_from.get()  # None: Django's default, the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica follows the primary's schema by replication


class ReplicaReadsMiddleware:
    """Point this request's reads at the replica when it is an anonymous page view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = None
        if request.method in ("GET", "HEAD") and replica_reads_enabled():
            # The session (and user) is read from the primary, before the switch; a request
            # carrying a token (the API's scripts) is someone's too.
            if not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META:
                alias = REPLICA
        token = _reads_from.set(alias)
        try:
            return self.get_response(request)
        finally:
            _reads_from.reset(token)
