"""The small cached values a request needs, fetched from the shared cache in one round trip.

Most signed-in requests need the bank version, the signed-in user and the candidate's interview due time, each
one key of the shared cache. RequestCacheMiddleware (right after SessionMiddleware) fetches all of them with one
MGET and keeps them for the request; `get` answers from there, `set`, `remember` and `drop` keep it current
after a computation or a write. Outside a request (commands, shell) every call goes to the cache. Only with
settings.FAST_CACHE.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction

_scope: ContextVar[dict | None] = ContextVar("request_cache", default=None)


def get(key: str):
    """The cached value (None when missing), read at most once per request."""
    scope = _scope.get()
    if scope is not None and key in scope:
        return scope[key]
    value = cache.get(key)
    if scope is not None:
        scope[key] = value
    return value


def set(key: str, value, timeout: int) -> None:
    """Store a value computed after a miss, for later requests and for the rest of this one."""
    cache.set(key, value, timeout)
    remember(key, value)


def remember(key: str, value) -> None:
    scope = _scope.get()
    if scope is not None:
        scope[key] = value


def forget(key: str) -> None:
    remember(key, None)


def drop(key: str) -> None:
    """Delete a cached value after a write: now, and again once the transaction commits, so that nothing
    another request read before the commit and cached meanwhile survives it."""
    cache.delete(key)
    forget(key)
    transaction.on_commit(lambda: cache.delete(key))


def request_keys(user_id) -> list[str]:
    from accounts.backends import user_cache_key
    from practice.services import due_key
    from questions.cache import VERSION_KEY
    from reviews.due_cache import due_key as review_due_key

    if not user_id:
        return [VERSION_KEY]
    return [VERSION_KEY, user_cache_key(user_id), due_key(user_id), review_due_key(user_id)]


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = {}
        token = _scope.set(scope)
        try:
            if settings.FAST_CACHE:
                keys = request_keys(request.session.get(SESSION_KEY))
                found = cache.get_many(keys)
                scope.update((key, found.get(key)) for key in keys)
            return self.get_response(request)
        finally:
            _scope.reset(token)
