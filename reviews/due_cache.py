"""The navigation's due counts in the shared cache, so a signed-in page usually costs no query for them.

Only with a fast shared cache (settings.FAST_CACHE). The counts stay true until one of three things happens:
- the candidate's cards change: every service that writes them calls forget();
- a card falls due: the value records the first instant a card not yet due becomes due (a learning step's due
  time, or the end of the candidate's day, when tomorrow's review cards become today's) and is ignored after it;
- the candidate's time zone or daily new-card limit changes: both are stored with the value and compared.
The key is fetched with the request's one MGET (interviewprep.request_cache.request_keys).
"""

from datetime import datetime

from django.conf import settings

from interviewprep import request_cache

FORMAT = 1
MAX_TIMEOUT = 10 * 60


def due_key(user_id: int) -> str:
    return f"reviews:due:f{FORMAT}:{user_id}"


def read(user, now: datetime):
    """The cached summary if it is still true at `now` for this user's settings, else None."""
    if not settings.FAST_CACHE:
        return None
    value = request_cache.get(due_key(user.pk))
    if not value:
        return None
    time_zone, limit, valid_until, summary = value
    if time_zone != user.time_zone or limit != user.new_cards_per_day or now.timestamp() >= valid_until:
        return None
    return summary


def store(user, now: datetime, summary, valid_until: datetime) -> None:
    if not settings.FAST_CACHE:
        return
    timeout = max(1, min(MAX_TIMEOUT, int((valid_until - now).total_seconds())))
    value = (user.time_zone, user.new_cards_per_day, valid_until.timestamp(), summary)
    request_cache.set(due_key(user.pk), value, timeout)


def forget(user_id: int) -> None:
    """A write to the candidate's cards: drop the counts now and again once the transaction commits."""
    if settings.FAST_CACHE:
        request_cache.drop(due_key(user_id))
