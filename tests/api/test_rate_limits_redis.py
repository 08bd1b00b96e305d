"""Rate limits counted in Redis are shared: two processes (here, two cache connections) see
one counter, so a client cannot double its allowance by landing on another web process."""
import pytest
from django.core.cache.backends.redis import RedisCache

from kb.api import auth
from kb.api.errors import Problem

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def two_processes(monkeypatch):
    first = RedisCache(REDIS, {"KEY_PREFIX": "kb-api17-test"})
    second = RedisCache(REDIS, {"KEY_PREFIX": "kb-api17-test"})
    first.clear()
    yield first, second
    first.clear()


def test_a_limit_counted_in_redis_holds_across_processes(monkeypatch, two_processes):
    first, second = two_processes
    for cache in (first, second, first):
        monkeypatch.setattr(auth, "cache", cache)
        auth.rate_limit("address", "192.0.2.7", 3)
    monkeypatch.setattr(auth, "cache", second)
    with pytest.raises(Problem) as refused:
        auth.rate_limit("address", "192.0.2.7", 3)
    assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) >= 1
    auth.rate_limit("address", "192.0.2.8", 3)  # another address has its own count


def test_settings_use_redis_when_asked(monkeypatch):
    import importlib

    from kb import settings as kb_settings

    monkeypatch.setenv("REDIS_URL", REDIS)
    try:
        reloaded = importlib.reload(kb_settings)
        assert reloaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(kb_settings)
