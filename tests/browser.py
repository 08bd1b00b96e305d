"""Shared helpers for browser tests: the system Chromium through Playwright, or a clear skip."""
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


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def ensure_curated_data():
    """Transactional tests (live_server) flush the database; put the real data back if it is gone."""
    from django.core.management import call_command

    from kb.management.commands.import_source import import_path
    from kb.models import Source
    from tests.conftest import ARTICLE, BLOG

    if not Source.objects.filter(slug__in=["iranian-support-for-hamas"]).exists():
        import_path(ARTICLE)
        import_path(BLOG)
        call_command("load_claims", verbosity=0)
    from django.contrib.auth.models import Group, Permission

    from kb.editing.roles import sync_role_groups

    sync_role_groups(Group, Permission)


browser_test = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
