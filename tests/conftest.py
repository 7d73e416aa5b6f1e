"""Shared fixtures, and the rules for tests that need a real service.

Tests marked `postgres`, `redis` or `browser` need PostgreSQL (DATABASE_URL), Redis (REDIS_URL) or Debian's
chromium. When one is missing they are skipped and the run ends with one loud line naming what was skipped and why.
With SOLITAIRE_REQUIRE_SERVICES=1 (CI sets it) a missing service fails those tests instead: CI runs everything."""

import os
import shutil
from collections import Counter
from functools import cache

import pytest
from django.conf import settings

STRICT = os.environ.get("SOLITAIRE_REQUIRE_SERVICES") == "1"
_skipped_for: Counter = Counter()


@cache
def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@cache
def redis_answers() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def _missing(marker: str) -> str | None:
    if marker == "postgres" and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "PostgreSQL (set DATABASE_URL or start it on 127.0.0.1:5432)"
    if marker == "redis" and not redis_answers():
        return "Redis (set REDIS_URL or start it on 127.0.0.1:6379)"
    if marker == "browser" and not chromium_path():
        return "Debian's chromium (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        missing = _missing(marker)
        if missing is None:
            continue
        if STRICT:
            pytest.fail(f"{missing} is required here (SOLITAIRE_REQUIRE_SERVICES=1)", pytrace=False)
        _skipped_for[missing] += 1
        pytest.skip(f"needs {missing}")


def pytest_terminal_summary(terminalreporter):
    if _skipped_for:
        what = "; ".join(f"{n} test(s) need {service}" for service, n in _skipped_for.items())
        terminalreporter.write_line("")
        terminalreporter.write_line(f"!!! SKIPPED FOR MISSING SERVICES: {what} !!!", red=True, bold=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache as django_cache

    django_cache.clear()
    yield
    django_cache.clear()


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()
