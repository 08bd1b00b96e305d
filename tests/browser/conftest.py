"""Shared pieces for the browser tests: the system Chromium through Playwright (or a skip that
says what is missing), and the real data put back after live_server's flush."""
import contextlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CLAIMBOOK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("CLAIMBOOK_SCREENSHOTS", "artifacts/screenshots"))


def skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[browser]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives Chromium: marked `browser`, and skipped with the reason
    when Playwright or Chromium is missing. In CI (CI=true) they must run: a missing Chromium or
    Playwright fails the run instead, so a green CI always means the browser tests passed."""
    here = Path(__file__).parent
    reason = skip_reason()
    ours = [item for item in items if here in item.path.parents]
    if ours and reason and os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but the browser tests cannot run: {reason}")
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@contextlib.contextmanager
def running_chromium():
    """A headless Chromium for the duration of a module."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop alive in this thread; the ORM calls the tests
    # make are plain sync code. Allowed only while the browser runs, so no other test inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def ensure_curated_data():
    """The state the session starts from: role groups, both seeds and the curated claims.
    live_server tests commit and end with a flush of every table, so they put it back."""
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from kb.management.commands.import_source import import_path
    from kb.models import Source
    from kb.roles import sync_role_groups
    from tests.factories import ARTICLE, BLOG

    sync_role_groups(Group, Permission)
    if not Source.objects.exists():
        import_path(ARTICLE)
        import_path(BLOG)
        call_command("load_claims", verbosity=0)


@pytest.fixture(scope="module")
def reseed_after_flush(django_db_blocker):
    """Browser tests use live_server, whose transactional tests end with a flush of every
    table: put back what the rest of the suite expects once a browser module is done."""
    yield
    with django_db_blocker.unblock():
        ensure_curated_data()


@pytest.fixture(scope="module")
def chromium(reseed_after_flush):
    """A headless system Chromium for one module of browser tests."""
    with running_chromium() as browser:
        yield browser


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the curated data in place."""
    ensure_curated_data()
    return live_server.url


DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
# Sign-ins in these tests check passwords many times: the fast hasher (test-only).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browse(chromium, site, settings):
    """browse(viewport=DESKTOP, javascript=True, **options) -> a new page on the live server, in a
    browser context of its own (Playwright's new_context `options`), closed after the test."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    contexts = []

    def open_page(viewport=DESKTOP, javascript=True, **options):
        context = chromium.new_context(base_url=site, viewport=viewport, java_script_enabled=javascript, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: print("page error:", error))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(chromium, site, settings):
    """One page on the live server in Playwright's default viewport (tests needing more use `browse`)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    context = chromium.new_context(base_url=site)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def log_in(page, username):
    """Sign in through the login page as `username` (made with tests.factories.PASSWORD)."""
    from tests.factories import PASSWORD  # the models load after Django is set up

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    assert page.inner_text(".account .who") == username
