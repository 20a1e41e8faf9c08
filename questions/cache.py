"""The question bank's read-mostly data (question pages, quiz questions and choices, tag lists) in the shared
cache, under a version that every edit of the bank bumps.

Every key carries the bank version; any save or delete of a tag, source, question, choice or key point (admin,
import, loaddata) and any queryset update() of questions bumps it (questions.apps connects the signals), so
stale entries are never read again and expire on their own. The version starts from the clock, not from 1, so a
flushed or restarted Redis can never bring back a version number under which older entries were stored.

Only with settings.BANK_CACHE (on with Redis): with the database cache a lookup costs as much as the queries it
saves. A page costs two cache round trips: the version, then all its values in one MGET. When the cache cannot
be reached, values are computed from the database and nothing is stored. An edit made while Redis was
unreachable cannot bump the version: what was cached before shows for at most TIMEOUT once Redis is back.
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "bank:version"
# Part of every key: bump it when a release changes the shape of a cached value, so the new code never reads
# what the old code stored under the same bank version.
FORMAT = 4
TIMEOUT = 10 * 60


def bank_version() -> int | None:
    """The current version, or None when the cache cannot be reached."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_bank_version(**kwargs) -> None:
    """Bump now (this request sees the edit) and again on commit (drops what others cached meanwhile)."""
    if not settings.BANK_CACHE:
        return  # nothing reads the version
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or flushed): start a new one from the clock
        cache.set(VERSION_KEY, time.time_ns(), None)


def _key(version: int, parts: tuple) -> str:
    raw = ":".join(str(p) for p in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"bank:v{version}:f{FORMAT}:{digest}"


def cached_many(*entries: tuple[tuple, Callable]) -> list:
    """The values of (key parts, compute) pairs in the current bank version, computing and storing the missing.

    Values are shared between requests: callers must not modify them. None is not a cacheable value.
    """
    if not settings.BANK_CACHE:
        return [compute() for _parts, compute in entries]
    version = bank_version()
    if version is None:  # the cache is unreachable: the database answers
        return [compute() for _parts, compute in entries]
    names = [_key(version, parts) for parts, _compute in entries]
    found = cache.get_many(names)
    missing = {}
    values = []
    for name, (_parts, compute) in zip(names, entries, strict=True):
        if name in found:
            values.append(found[name])
        else:
            missing[name] = value = compute()
            values.append(value)
    if missing:
        cache.set_many(missing, TIMEOUT)
    return values


def cached(parts: tuple, compute: Callable):
    """One value, as cached_many."""
    return cached_many((parts, compute))[0]


def cached_by_id(kind: str, ids: list[int], load: Callable[[list[int]], dict]) -> dict:
    """A value per id (`kind` names what), the missing ones computed together by one call of `load`, which
    returns {id: value} for the ids it is given. Cached as cached_many."""
    ids = list(dict.fromkeys(ids))
    version = bank_version() if settings.BANK_CACHE else None
    if version is None:
        return load(ids) if ids else {}
    names = {pk: _key(version, (kind, pk)) for pk in ids}
    found = cache.get_many(list(names.values()))
    values = {pk: found[name] for pk, name in names.items() if name in found}
    missing = [pk for pk in ids if pk not in values]
    if missing:
        loaded = load(missing)
        cache.set_many({names[pk]: value for pk, value in loaded.items()}, TIMEOUT)
        values.update(loaded)
    return values
