"""A per-address rate limit for the pages anyone may open without signing in (the public 公示 list, the notice
verify page): a fixed one-minute window counted in the cache (Redis when configured, so every web worker counts
the same requests). Each page counts in its own scope; the limit is `PUBLIC_RATE_PER_MINUTE`."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from apps.core.audit import client_ip


def over_limit(request, *, scope: str) -> bool:
    limit = settings.PUBLIC_RATE_PER_MINUTE
    key = f"throttle:{scope}:{client_ip(request) or 'unknown'}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=70)
            count = 1
    return count > limit


def throttled_response(request) -> HttpResponse:
    """429 with the Chinese page saying to wait a minute."""
    response = render(request, "core/throttled.html", status=429)
    response["Retry-After"] = "60"
    return response
