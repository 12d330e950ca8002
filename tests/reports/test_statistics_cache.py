"""The dashboard's counts are shared by every worker of a server (a file cache), and one
worker counts a period while the others wait for its counts."""

import threading

import pytest
from django.core.cache import cache

from haven.reports import statistics
from haven.reports.periods import Period

PERIOD = Period.quarter(2025, 2)


def cache_key() -> str:
    granularity = statistics.default_granularity(PERIOD)
    return f"haven:report:{PERIOD.start}:{PERIOD.end}:all:{granularity}"


@pytest.fixture
def caching(settings):
    settings.HAVEN_REPORT_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_the_counts_are_kept_where_every_worker_finds_them(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")


def test_a_worker_waits_for_the_counts_another_is_making(caching, monkeypatch):
    assert cache.add(f"{cache_key()}:counting", True, 30)  # another worker is counting
    made = statistics.Loaded(PERIOD, None, "month", [], [], [], None)
    threading.Timer(0.3, cache.set, (cache_key(), made, 300)).start()
    monkeypatch.setattr(statistics, "load", lambda *a, **k: pytest.fail("counted twice"))
    found = statistics.load_recent(PERIOD)
    assert found.counted_at == made.counted_at


def test_the_worker_that_counts_lets_the_next_count_once_its_counts_expire(caching, monkeypatch):
    made = statistics.Loaded(PERIOD, None, "month", [], [], [], None)
    calls = []
    monkeypatch.setattr(statistics, "load", lambda *a, **k: calls.append(1) or made)
    assert statistics.load_recent(PERIOD) is made
    assert calls == [1]
    assert cache.get(f"{cache_key()}:counting") is None  # no one is left waiting on it
    cache.delete(cache_key())
    statistics.load_recent(PERIOD)
    assert calls == [1, 1]
