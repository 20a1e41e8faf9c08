"""Caching of the question bank's read-mostly data, invalidated by a version bumped on every edit.

Every cache key carries the bank version; any save or delete of a tag, source, question, choice or key point
(admin, import, loaddata) bumps it, so stale entries are simply never read again and expire on their own.

Two levels, both only with a fast shared cache (settings.BANK_CACHE, on with Redis):
- the shared cache (Redis), so one process's work serves every other process and app server;
- a small per-process LRU in front of it, so a warm page costs no shared-cache read of its own (the version
  comes with the request's one MGET, interviewprep.request_cache) instead of a read and an unpickling per value.
The version starts from the clock, not from 1, so a flushed or restarted Redis can never bring back a version
number that a process still holds entries for.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from interviewprep import request_cache

VERSION_KEY = "bank:version"
# Part of every key: bump it when a release changes the shape of a cached value, so the new code never reads
# what the old code stored under the same bank version.
FORMAT = 2
TIMEOUT = 60 * 60
LOCAL_SIZE = 512

_local: OrderedDict = OrderedDict()
_local_lock = threading.Lock()


def bank_version() -> int:
    """The current version, read once per request (interviewprep.request_cache)."""
    version = request_cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY) or time.time_ns()
        request_cache.remember(VERSION_KEY, version)
    return version


def bump_bank_version(**kwargs) -> None:
    """Bump now (this request sees the edit) and again on commit (drops what others cached meanwhile)."""
    if not settings.BANK_CACHE:
        return  # nothing reads the version
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:
        version = time.time_ns()
        cache.set(VERSION_KEY, version, None)
    request_cache.remember(VERSION_KEY, version)


def key(*parts) -> str:
    raw = ":".join(str(p) for p in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"bank:v{bank_version()}:f{FORMAT}:{digest}"


def cached(parts: tuple, compute):
    """The value for these key parts in the current bank version, computing and storing it when missing.

    Only with a fast shared cache (settings.BANK_CACHE, on with Redis): with the database cache a lookup costs
    as much as the queries it saves. Values are shared between requests: callers must not modify them.
    """
    if not settings.BANK_CACHE:
        return compute()
    name = key(*parts)
    with _local_lock:
        if name in _local:
            _local.move_to_end(name)
            return _local[name]
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, TIMEOUT)
    with _local_lock:
        _local[name] = value
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)
    return value


def connect_invalidation() -> None:
    from .models import Choice, KeyPoint, Question, Source, Tag

    for model in (Tag, Source, Question, Choice, KeyPoint):
        post_save.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-save-{model.__name__}")
        post_delete.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-delete-{model.__name__}")
    for through in (Question.tags.through, Question.sources.through):
        m2m_changed.connect(bump_bank_version, sender=through, dispatch_uid=f"bank-m2m-{through.__name__}")
