"""A per-address rate limit for the public pages: a fixed one-minute window counted in the cache (Redis when
configured, so every web worker counts the same requests)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from apps.core.audit import client_ip


def over_limit(request, *, scope: str = "publicity") -> bool:
    limit = settings.PUBLICITY_RATE_PER_MINUTE
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
