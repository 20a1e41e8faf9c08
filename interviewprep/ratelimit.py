"""Per-IP limits for anonymous forms (sign-up, password reset), counted in the shared cache."""

import time

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def client_ip(request: HttpRequest) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def over_limit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one attempt of this IP in the current hour; True once it is over the limit.

    Uses add + incr: atomic on Redis; on the database cache a race can at worst miss a few counts.
    """
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, WINDOW_SECONDS + 60):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 60)
        return False


def minutes_to_next_window() -> int:
    return max(1, int((WINDOW_SECONDS - time.time() % WINDOW_SECONDS) // 60) + 1)
