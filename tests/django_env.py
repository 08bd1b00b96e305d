"""Loaded by pytest before Django is set up (`-p tests.django_env` in pyproject.toml).

A `replica` database alias exists in every test run, as a TEST MIRROR of the default
database (kb/settings.py), so the read-replica router is tested against the same server.
Replica reads stay off except in the tests that turn them on (tests/conftest.py)."""
import os

# Pages are rendered afresh in tests (factories write without the services' generation bump);
# tests/views/test_page_cache.py turns the page cache on.
os.environ.setdefault("CLAIMBOOK_PAGE_CACHE", "0")
os.environ.setdefault("DATABASE_REPLICA_URL", os.environ.get("DATABASE_URL") or "sqlite://:memory:")
