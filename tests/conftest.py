from pathlib import Path

import pytest
from django.conf import settings

from kb.models import Source

ROOT = Path(settings.BASE_DIR)
ARTICLE = ROOT / "sources" / "001_47f5397719def2c0.txt"
BLOG = ROOT / "sources" / "000_58f979856ac02d7a.txt"
ARTICLE_SLUG = "iranian-support-for-hamas"
BLOG_SLUG = "hamas-iran-unraveling-a-complex-relationship"


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
        return {m.__name__: m.objects.count() for m in apps.get_app_config("kb").get_models()}

    return snapshot


@pytest.fixture(scope="module")
def reseed_after_flush(django_db_blocker):
    """Browser tests use live_server, whose transactional tests end with a flush of every
    table: put back what the rest of the suite expects once a browser module is done."""
    from tests.browser import ensure_curated_data

    yield
    with django_db_blocker.unblock():
        ensure_curated_data()


@pytest.fixture(scope="module")
def chromium(reseed_after_flush):
    """A headless system Chromium for one module of browser tests."""
    from tests.browser import running_chromium

    with running_chromium() as browser:
        yield browser


def pytest_collection_modifyitems(config, items):
    """In CI (CI=true) the browser tests must run: a missing Chromium or Playwright fails the run
    instead of skipping, so a green CI always means the browser tests passed."""
    import os

    from tests.browser import skip_reason

    reason = skip_reason()
    if os.environ.get("CI") == "true" and reason and any(item.get_closest_marker("browser") for item in items):
        raise pytest.UsageError(f"CI=true but the browser tests cannot run: {reason}")
