"""Shared pieces for browser tests: the system Chromium through Playwright (or a clear skip),
and the real data put back after live_server's flush."""
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


browser_test = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


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

    from kb.roles import sync_role_groups
    from kb.management.commands.import_source import import_path
    from kb.models import Source
    from tests.conftest import ARTICLE, BLOG

    sync_role_groups(Group, Permission)
    if not Source.objects.exists():
        import_path(ARTICLE)
        import_path(BLOG)
        call_command("load_claims", verbosity=0)
