"""Caching of the question bank's read-mostly data, invalidated by a version bumped on every edit.

Every cache key carries the bank version; any save or delete of a tag, source, question, choice or key point
(admin, import, loaddata) bumps it, so stale entries are simply never read again and expire on their own.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "bank:version"
TIMEOUT = 60 * 60


def bank_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_bank_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def key(*parts) -> str:
    raw = ":".join(str(p) for p in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"bank:v{bank_version()}:{digest}"


def cached(parts: tuple, compute):
    """The value for these key parts in the current bank version, computing and storing it when missing.

    Only with a fast shared cache (settings.BANK_CACHE, on with Redis): with the database cache a lookup costs
    as much as the queries it saves.
    """
    if not settings.BANK_CACHE:
        return compute()
    name = key(*parts)
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, TIMEOUT)
    return value


def connect_invalidation() -> None:
    from .models import Choice, KeyPoint, Question, Source, Tag

    for model in (Tag, Source, Question, Choice, KeyPoint):
        post_save.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-save-{model.__name__}")
        post_delete.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-delete-{model.__name__}")
    for through in (Question.tags.through, Question.sources.through):
        m2m_changed.connect(bump_bank_version, sender=through, dispatch_uid=f"bank-m2m-{through.__name__}")
