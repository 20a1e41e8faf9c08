"""Per-IP limits for anonymous forms (sign-up, password reset), counted in the shared cache."""

import logging
import time

import redis
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest

WINDOW_SECONDS = 3600

logger = logging.getLogger(__name__)


class RateLimitUnavailableError(Exception):
    """The counters cannot be reached: the limited form refuses (fails closed) rather than go unlimited."""


def client_ip(request: HttpRequest) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def over_limit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one attempt of this IP in the current hour; True once it is over the limit.

    Uses add + incr: atomic on Redis; on the database cache a race can at worst miss a few counts. Counted in the
    "strict" cache, which raises connection errors: RateLimitUnavailableError when the counters cannot be reached.
    """
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    counters = caches["strict"]
    try:
        if counters.add(key, 1, WINDOW_SECONDS + 60):
            return limit < 1
        try:
            return counters.incr(key) > limit
        except ValueError:  # expired between add and incr
            counters.set(key, 1, WINDOW_SECONDS + 60)
            return False
    except (redis.RedisError, DatabaseError) as exc:
        logger.warning("rate-limit counters unavailable (%s): refusing %s", exc.__class__.__name__, scope)
        raise RateLimitUnavailableError from exc


def minutes_to_next_window() -> int:
    return max(1, int((WINDOW_SECONDS - time.time() % WINDOW_SECONDS) // 60) + 1)
