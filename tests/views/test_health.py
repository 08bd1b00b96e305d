"""/healthz for load balancers, and the 503 page while the database is away."""
import json

import pytest

from django.db import OperationalError, connection
from django.test import RequestFactory


@pytest.mark.django_db(databases="__all__")
def test_healthz_answers_200_with_database_cache_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database:default"]["ok"] and checks["cache"]["ok"] and checks["queue"]["ok"]
    assert checks["database:replica"]["ok"]  # the replica alias (a mirror of the default in tests)
    assert checks["queue"]["waiting"] == 0 and checks["queue"]["lag_seconds"] == 0.0


def test_healthz_reports_queue_lag(client, db, settings):
    from django.db import transaction
    from django.test import TestCase

    from kb.services.jobs import import_job_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CLAIMBOOK_HEALTH_DATABASES = ["default"]
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        import_job_create(data=b"# A queued report\n\nText of it.\n", name="queued.md")
    queue = json.loads(client.get("/healthz").content)["checks"]["queue"]
    assert queue["waiting"] == 1 and queue["lag_seconds"] >= 0


def test_healthz_answers_503_naming_a_database_that_does_not_answer(client, db, settings):
    settings.CLAIMBOOK_HEALTH_DATABASES = ["default", "gone"]  # an alias with no database behind it
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "down"
    assert body["checks"]["database:default"]["ok"] is True
    assert body["checks"]["database:gone"] == {"ok": False, "error": "ConnectionDoesNotExist"}


def test_healthz_answers_503_when_the_cache_is_down(client, db, settings):
    settings.CLAIMBOOK_HEALTH_DATABASES = ["default"]
    # A Redis cache on a port where nothing listens.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.5}}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"]["ok"] is False


def test_a_lost_database_gives_a_clear_503_page_without_touching_it(db, django_assert_num_queries):
    from kb.views.health import server_error

    request = RequestFactory().get("/claims/")
    with django_assert_num_queries(0):
        try:
            raise OperationalError("connection to server at 127.0.0.1 port 5432 failed: Connection refused")
        except OperationalError:
            response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "database cannot be reached" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_an_error_in_one_query_stays_a_500(db):
    from kb.views.health import server_error

    request = RequestFactory().get("/claims/")
    for message in ("deadlock detected", "database is locked"):
        try:
            raise OperationalError(message)
        except OperationalError:
            assert server_error(request).status_code == 500


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement timeouts are PostgreSQL's")
def test_a_statement_cancelled_by_its_timeout_gives_a_503_asking_to_retry(db):
    from django.db import transaction

    from kb.views.health import server_error

    request = RequestFactory().get("/claims/")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 20")
            cursor.execute("SELECT pg_sleep(2)")
    except OperationalError:
        response = server_error(request)
    else:
        pytest.fail("PostgreSQL did not cancel the statement")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "too busy" in response.content.decode()
