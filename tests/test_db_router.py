"""Read replicas: anonymous page views read from the `replica` alias (in tests a mirror of the
default database on the same server); writes, and signed-in users' reads, use the primary."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test.utils import CaptureQueriesContext

from kb.db_router import ReplicaRouter, _reads_from
from kb.models import Claim


@pytest.fixture
def replica_reads(settings):
    settings.CLAIMBOOK_REPLICA_READS = True
    assert "replica" in settings.DATABASES


def queries_on_each(client, url):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get(url)
    assert response.status_code == 200
    return len(primary), len(replica)


@pytest.mark.django_db(databases=["default", "replica"])
def test_anonymous_page_views_read_from_the_replica(client, seeds, replica_reads):
    claim = Claim.objects.filter(status="published").first()
    for url in ("/", "/claims/", f"/claims/{claim.pk}/", f"/sources/{seeds['article'].slug}/"):
        primary, replica = queries_on_each(client, url)
        assert replica > 0 and primary == 0, url


# Only the primary is allowed in these two: a query on the replica would fail the test.


@pytest.mark.django_db(databases=["default"])
def test_a_signed_in_users_reads_stay_on_the_primary(client, seeds, replica_reads):
    client.force_login(get_user_model().objects.create_user("editor-reads"))
    with CaptureQueriesContext(connections["default"]) as primary:
        assert client.get("/claims/").status_code == 200
    assert len(primary) > 0


@pytest.mark.django_db(databases=["default"])
def test_without_replica_reads_everything_uses_the_primary(client, seeds):
    with CaptureQueriesContext(connections["default"]) as primary:
        assert client.get("/claims/").status_code == 200
    assert len(primary) > 0


def test_writes_always_go_to_the_primary_and_migrations_skip_the_replica():
    router = ReplicaRouter()
    token = _reads_from.set("replica")
    try:
        assert router.db_for_read(Claim) == "replica"
        assert router.db_for_write(Claim) == "default"
    finally:
        _reads_from.reset(token)
    assert router.db_for_read(Claim) is None  # outside a request: Django's default, the primary
    assert router.allow_migrate("replica", "kb") is False and router.allow_migrate("default", "kb") is True
