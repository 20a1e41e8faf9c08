"""Per-IP limits (sign-up, password reset, failed password checks), counted in the shared cache per hour."""

import time

from django.core.cache import cache
from django.http import HttpRequest

from .client_ip import client_ip

WINDOW_SECONDS = 3600


def _key(request: HttpRequest, scope: str) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    return f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{window}"


def count(request: HttpRequest, *, scope: str) -> int:
    """Count one event of this IP in the current hour; returns the count so far, this one included.

    Uses add + incr: atomic on Redis; on the database cache a race can at worst miss a few counts.
    """
    key = _key(request, scope)
    if cache.add(key, 1, WINDOW_SECONDS + 60):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 60)
        return 1


def reached(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """True when this IP has already had `limit` events in the current hour (without counting one)."""
    return (cache.get(_key(request, scope)) or 0) >= limit


def over_limit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one attempt of this IP in the current hour; True once it is over the limit."""
    return count(request, scope=scope) > limit


def minutes_to_next_window() -> int:
    return max(1, int((WINDOW_SECONDS - time.time() % WINDOW_SECONDS) // 60) + 1)
