"""Per-IP limits (sign-up, password reset, failed password checks), counted in the shared cache per hour.

Sign-up and password reset fail closed: their counters are in the "strict" cache, which raises connection errors,
and RateLimitUnavailableError makes the form refuse rather than go unlimited. Failed password checks fail open:
with the cache unreachable nothing is counted and log-ins keep working, throttled per account and address by
django-axes in the database.
"""

import logging
import time

import redis
from django.core.cache import cache, caches
from django.db import DatabaseError
from django.http import HttpRequest

from .client_ip import client_ip

WINDOW_SECONDS = 3600

logger = logging.getLogger(__name__)


class RateLimitUnavailableError(Exception):
    """The counters cannot be reached: the limited form refuses (fails closed) rather than go unlimited."""


def _key(request: HttpRequest, scope: str) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    return f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{window}"


def _count(counters, key: str) -> int | None:
    """add + incr: atomic on Redis; on the database cache a race can at worst miss a few counts."""
    if counters.add(key, 1, WINDOW_SECONDS + 60):
        return 1
    try:
        return counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, WINDOW_SECONDS + 60)
        return 1


def count(request: HttpRequest, *, scope: str) -> int:
    """Count one event of this IP in the current hour; returns the count so far, this one included (0 when the
    cache cannot be reached)."""
    return _count(cache, _key(request, scope)) or 0


def reached(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """True when this IP has already had `limit` events in the current hour (without counting one)."""
    return (cache.get(_key(request, scope)) or 0) >= limit


def over_limit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one attempt of this IP in the current hour; True once it is over the limit.

    RateLimitUnavailableError when the counters cannot be reached (the strict cache raises)."""
    try:
        return _count(caches["strict"], _key(request, scope)) > limit
    except (redis.RedisError, DatabaseError) as exc:
        logger.warning("rate-limit counters unavailable (%s): refusing %s", exc.__class__.__name__, scope)
        raise RateLimitUnavailableError from exc


def minutes_to_next_window() -> int:
    return max(1, int((WINDOW_SECONDS - time.time() % WINDOW_SECONDS) // 60) + 1)
