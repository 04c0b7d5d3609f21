"""The API throttles count in one cache shared by every web process when Redis is configured.

Two cache clients stand for two gunicorn workers: with per-process memory each lets the limit through (the
real limit is the limit × workers), with Redis they share one count.
"""

import os
import uuid
from types import SimpleNamespace

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import UserRateThrottle

from config.settings.base import cache_settings, redis_cache_location
from tests.conftest import skip_or_fail

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(("environ", "location"), [
    ({}, None),
    ({"CACHE_URL": "redis://cache:6379/1"}, "redis://cache:6379/1"),
    ({"REDIS_URL": "redis://r:6379/2"}, "redis://r:6379/2"),
    ({"CACHE_URL": "redis://cache:6379/1", "REDIS_URL": "redis://r:6379/2"}, "redis://cache:6379/1"),
    ({"CELERY_BROKER_URL": "redis://broker:6379/7"}, "redis://broker:6379/7"),
    ({"CELERY_BROKER_URL": "rediss://broker:6380/0"}, "rediss://broker:6380/0"),
    ({"CELERY_BROKER_URL": "amqp://guest@rabbit//"}, None),  # not Redis: no cache there
    ({"REDIS_URL": "redis://r:6379/2", "CELERY_BROKER_URL": "redis://broker:6379/7"}, "redis://r:6379/2"),
    ({"CACHE_URL": ""}, None),
])
def test_cache_location_from_the_environment(environ, location):
    assert redis_cache_location(environ) == location
    default = cache_settings(location)["default"]
    assert default["BACKEND"] == (REDIS if location else LOCMEM)
    assert default.get("LOCATION") == location


class ThreeAMinute(UserRateThrottle):
    rate = "3/minute"


def allowed_requests(clients, requests: int = 8) -> int:
    """`requests` API calls of one user spread over the processes (round robin); how many pass the throttle."""
    request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=4242), META={})
    allowed = 0
    for number in range(requests):
        throttle = ThreeAMinute()
        throttle.cache = clients[number % len(clients)]
        allowed += bool(throttle.allow_request(request, None))
    return allowed


def test_per_process_memory_multiplies_the_limit_by_the_workers():
    clients = [LocMemCache(f"worker-{n}-{uuid.uuid4().hex}", {}) for n in range(2)]
    assert allowed_requests(clients) == 6  # 3 per process: the defect a shared cache removes


@pytest.fixture
def redis_location():
    location = redis_cache_location(os.environ)
    if not location:
        skip_or_fail("the shared-cache test needs Redis (CACHE_URL, REDIS_URL or a redis:// CELERY_BROKER_URL)",
                     "REQUIRE_CELERY_WORKER")
    return location


def redis_clients(location: str, count: int, prefix: str) -> list[RedisCache]:
    """`count` independent clients (each its own connection pool), as separate processes would have."""
    options = cache_settings(location)["default"]
    return [RedisCache(location, {"KEY_PREFIX": prefix, "OPTIONS": options["OPTIONS"]}) for _ in range(count)]


def test_two_processes_share_one_throttle_count_through_redis(redis_location):
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    clients = redis_clients(redis_location, 2, prefix)
    try:
        clients[0].set("probe", 1, timeout=10)
    except Exception as error:  # noqa: BLE001 — Redis down: a skip locally, a failure in CI
        skip_or_fail(f"Redis at {redis_location} does not answer: {error}", "REQUIRE_CELERY_WORKER")
    try:
        assert clients[1].get("probe") == 1  # one store, seen from the other client
        assert allowed_requests(clients) == 3  # the limit holds across both processes
        # and a third process started later (a restarted worker) still sees the count
        later = redis_clients(redis_location, 1, prefix)
        assert allowed_requests(later, requests=2) == 0
    finally:
        clients[0].delete_many(["probe", "throttle_user_4242"])  # only this test's keys (its own prefix)
