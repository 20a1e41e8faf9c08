"""The bridge between stored cards and the fsrs package's scheduler (FSRS 6, the algorithm Anki uses)."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

import fsrs

from .models import Card, CardState, Rating

# One short step before a new or forgotten card graduates, as in Anki: Again brings it back in ten minutes,
# Good on a new card schedules it days ahead.
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
DEFAULT_RETENTION = 0.9
# The four ratings as the scheduler takes them (Rating.values builds a new list on every use).
RATINGS = tuple(fsrs.Rating(value) for value in Rating.values)


@lru_cache(maxsize=64)
def scheduler(desired_retention: float = DEFAULT_RETENTION, *, fuzz: bool = True) -> fsrs.Scheduler:
    """A scheduler per retention level. Fuzzing spreads cards learnt together over nearby days, as Anki does;
    the interval shown on a button is computed without it."""
    return fsrs.Scheduler(
        desired_retention=desired_retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=fuzz,
    )


def to_fsrs(card: Card) -> fsrs.Card:
    """The stored columns as an fsrs.Card; a new card is fsrs's fresh Learning card."""
    if card.state == CardState.NEW:
        return fsrs.Card(card_id=card.pk or 1, state=fsrs.State.Learning, step=0, due=_utc(card.due))
    return fsrs.Card(
        card_id=card.pk or 1,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def review(card: Card, rating: int, now: datetime, desired_retention: float) -> fsrs.Card:
    """The card as it would be after this rating at `now` (the stored card is not changed)."""
    reviewed, _log = scheduler(desired_retention).review_card(to_fsrs(card), fsrs.Rating(rating), _utc(now))
    return reviewed


def preview(card: Card | None, now: datetime, desired_retention: float) -> Mapping[int, timedelta]:
    """The next interval for each rating (in rating order), without fuzz: what the four buttons show. None is a card
    not yet added, which schedules like a new one."""
    if card is None or card.state == CardState.NEW:
        return _new_card_preview(desired_retention)
    return _preview(to_fsrs(card), _utc(now), desired_retention)


@lru_cache(maxsize=64)
def _new_card_preview(desired_retention: float) -> Mapping[int, timedelta]:
    """A new card's intervals depend on the retention alone (a first review is scheduled from the moment it is
    made), so they are worked out once per retention level."""
    moment = datetime(2000, 1, 1, tzinfo=UTC)
    return MappingProxyType(_preview(to_fsrs(Card(state=CardState.NEW, due=moment)), moment, desired_retention))


def _preview(current: fsrs.Card, now: datetime, desired_retention: float) -> dict[int, timedelta]:
    plain = scheduler(desired_retention, fuzz=False)
    result = {}
    for rating in RATINGS:
        reviewed, _log = plain.review_card(current, rating, now)
        result[rating.value] = reviewed.due - now
    return result


def interval_label(interval: timedelta) -> str:
    """Anki's style: "10 min", "1 day", "3 days", "2.5 months", "1.2 years"."""
    minutes = interval.total_seconds() / 60
    if minutes < 60:
        return f"{max(1, round(minutes))} min"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 30:
        n = round(days)
        return f"{n} day{'s' if n != 1 else ''}"
    if days < 365:
        return f"{_short(days / 30)} months" if round(days / 30, 1) != 1 else "1 month"
    return f"{_short(days / 365)} years" if round(days / 365, 1) != 1 else "1 year"


def _short(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
