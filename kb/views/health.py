"""For load balancers and operators: /healthz, and the page shown while the database is away."""
from __future__ import annotations

import logging
import sys
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("kb.health")

HEALTH_CACHE_KEY = "claimbook:healthz"


def _database(alias: str) -> dict:
    began = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure here means "down", with its kind
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - began) * 1000, 1)}


def _cache() -> dict:
    began = time.perf_counter()
    try:
        cache = caches["default"]
        stamp = str(time.time())
        cache.set(HEALTH_CACHE_KEY, stamp, 30)
        if cache.get(HEALTH_CACHE_KEY) != stamp:
            return {"ok": False, "error": "value not read back"}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - began) * 1000, 1),
            "backend": caches["default"].__class__.__name__}


def _queue() -> dict:
    from kb.selectors.jobs import queue_health

    try:
        return {"ok": True, **queue_health()}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


@never_cache
@require_safe
def healthz(request):
    """200 when the databases, the cache and the job queue answer; 503 naming what does not."""
    aliases = settings.CLAIMBOOK_HEALTH_DATABASES or list(settings.DATABASES)
    checks = {f"database:{alias}": _database(alias) for alias in aliases}
    checks["cache"] = _cache()
    checks["queue"] = _queue() if checks.get("database:default", {}).get("ok", True) else {
        "ok": False, "error": "database down"}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "down", "checks": checks}, status=200 if ok else 503)


# What a database that cannot be reached (stopped, restarting, network gone) looks like,
# as opposed to an error in one query (a deadlock, a lock timeout): those stay 500s.
AWAY_WORDS = ("connect", "connection", "server closed", "shutting down", "starting up",
              "terminating", "no route", "timeout expired", "recovery mode")


def server_error(request, *args, **kwargs):
    """handler500: a database that cannot be reached is a 503 with a page saying so (and a
    Retry-After), anything else the usual 500 page. Neither touches the database."""
    exc = sys.exc_info()[1]
    if _database_away(exc):
        body = loader.render_to_string("503.html")
        return HttpResponse(body, status=503, headers={"Retry-After": "10"})
    if _statement_timed_out(exc):
        body = loader.render_to_string("503_busy.html")
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def _database_away(exc) -> bool:
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, (OperationalError, DatabaseError)):
        return False
    message = str(exc).lower()
    return any(word in message for word in AWAY_WORDS)


def _statement_timed_out(exc) -> bool:
    """A statement cancelled by DATABASE_STATEMENT_TIMEOUT: the database is there but too slow
    for this request just now (a 503 to retry, logged with its traceback like any error)."""
    return isinstance(exc, (OperationalError, DatabaseError)) and "statement timeout" in str(exc).lower()
