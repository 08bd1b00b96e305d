
import pytest

from kb.models import Source

from tests.factories import ARTICLE, ARTICLE_SLUG, BLOG, BLOG_SLUG


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real curated data (both seeds and every claim in fixtures/) is loaded once per run;
    each test runs in a transaction that is rolled back, so it always starts from this state."""
    from django.core.management import call_command

    from kb.management.commands.import_source import import_path

    with django_db_blocker.unblock():
        import_path(ARTICLE)
        import_path(BLOG)
        call_command("load_claims", verbosity=0)


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Jobs run in the test's own process, when their transaction commits (wrap the request in
    `django_capture_on_commit_callbacks(execute=True)`); the database queue has its own tests."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def reads_from_the_primary(settings):
    """Every test reads from the primary (its own transaction's rows are invisible to another
    connection); tests/test_db_router.py turns replica reads on."""
    settings.CLAIMBOOK_REPLICA_READS = False


@pytest.fixture
def seeds(db):
    return {
        "article": Source.objects.current().get(slug=ARTICLE_SLUG),
        "blog": Source.objects.current().get(slug=BLOG_SLUG),
    }


@pytest.fixture
def curated(seeds):
    return seeds


@pytest.fixture
def db_snapshot(db):
    """Counts of every kb table, to prove a refused operation changed nothing."""
    from django.apps import apps

    def snapshot():
        # Managed tables only: SQLite's search index (ClaimText) mirrors the claims, and is no table on PostgreSQL.
        return {m.__name__: m.objects.count() for m in apps.get_app_config("kb").get_models() if m._meta.managed}

    return snapshot


# ---- users in each role (tests/factories.py builds them) -----------------------------------


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(role="editor", username="eddie")


@pytest.fixture
def other_editor(db):
    from tests.factories import UserFactory

    return UserFactory(role="editor", username="edna")


@pytest.fixture
def researcher(db):
    from tests.factories import UserFactory

    return UserFactory(role="researcher", username="rita")


@pytest.fixture
def site_admin(db):
    from tests.factories import UserFactory

    return UserFactory(role="admin", username="ada")
