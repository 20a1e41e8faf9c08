"""The question bank's read-mostly data (question pages, quiz questions and choices, tag lists) in the shared
cache, under a version that every edit of the bank bumps.

Every value is stored with the bank version it was computed under; any save or delete of a tag, source,
question, choice or key point (admin, import, loaddata) and any queryset update() of questions bumps the version
(questions.apps connects the signals), so a value of an older version is never used again: it is computed anew
and overwritten. The version starts from the clock, not from 1, so a flushed or restarted Redis can never bring
back a version number under which older values were stored.

Only with settings.BANK_CACHE (on with Redis): with the database cache a lookup costs as much as the queries it
saves. A page costs one cache round trip: the version and all its values in one MGET (a page read the version
first, then its values, before: bench/results.md). When the cache cannot be reached, values are computed from
the database and nothing is stored. An edit made while Redis was
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
FORMAT = 7
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


def _key(parts: tuple) -> str:
    raw = ":".join(str(p) for p in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"bank:f{FORMAT}:{digest}"


def _lookup(names: list[str]) -> tuple[int | None, dict]:
    """The bank version and the values of these keys stored under it, in one round trip. None: unreachable."""
    found = cache.get_many([VERSION_KEY, *names])
    version = found.pop(VERSION_KEY, None)
    if version is None:
        version = bank_version()  # none yet (a flushed cache), or the cache is down
    current = {name: entry[1] for name, entry in found.items() if entry[0] == version}
    return version, current


def cached_many(*entries: tuple[tuple, Callable]) -> list:
    """The values of (key parts, compute) pairs in the current bank version, computing and storing the missing.

    Values are shared between requests: callers must not modify them. None is not a cacheable value.
    """
    if not settings.BANK_CACHE:
        return [compute() for _parts, compute in entries]
    names = [_key(parts) for parts, _compute in entries]
    version, found = _lookup(names)
    if version is None:  # the cache is unreachable: the database answers
        return [compute() for _parts, compute in entries]
    missing = {}
    values = []
    for name, (_parts, compute) in zip(names, entries, strict=True):
        if name in found:
            values.append(found[name])
        else:
            value = compute()
            missing[name] = (version, value)
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
    if not settings.BANK_CACHE or not ids:
        return load(ids) if ids else {}
    names = {pk: _key((kind, pk)) for pk in ids}
    version, found = _lookup(list(names.values()))
    if version is None:
        return load(ids)
    values = {pk: found[name] for pk, name in names.items() if name in found}
    missing = [pk for pk in ids if pk not in values]
    if missing:
        loaded = load(missing)
        cache.set_many({names[pk]: (version, value) for pk, value in loaded.items()}, TIMEOUT)
        values.update(loaded)
    return values
