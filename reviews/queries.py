"""Reads of the candidates' review state that pages share. Each is one query, whatever the number of cards."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from interviewprep.sql import from_db
from questions.models import Question, Tag

from .models import Card, CardState, QuestionNote, Rating, ReviewLog, due_q

RETENTION_DAYS = 30
FORECAST_DAYS = 14

# The question list's personal filters (?mine=...), by value: label and condition on the annotated queryset.
PERSONAL_FILTERS = {
    "unseen": "Unseen",
    "due": "Due for review",
    "wrong": "Got wrong last time",
    "starred": "Bookmarked",
    "noted": "With notes",
}


def user_zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_today(user, now: datetime) -> date:
    return now.astimezone(user_zone(user)).date()


def day_start(user, day: date) -> datetime:
    """The instant a local calendar day begins in the candidate's time zone (DST-aware)."""
    return datetime.combine(day, time.min, tzinfo=user_zone(user))


def day_bounds(user, now: datetime) -> tuple[datetime, datetime]:
    """The start and the end of the candidate's today: a card due at 02:00 local time is today's."""
    today = local_today(user, now)
    return day_start(user, today), day_start(user, today + timedelta(days=1))


@dataclass(frozen=True)
class DueSummary:
    due: int  # cards due now (review cards due today, learning steps due now)
    new: int  # new cards the daily limit lets into today's queue
    later_today: int  # learning steps due later today
    tomorrow: int  # cards due tomorrow
    next_due: datetime | None  # the first time a card not yet due falls due

    @property
    def total(self) -> int:
        return self.due + self.new


# The "due" condition of models.due_q, in SQL; the counts of due_summary. Written out rather than built with the
# ORM: the navigation shows the total on every page and the ORM took 3 ms of CPU to build this aggregate, ten
# times its run time (bench/results.md). COUNT ... FILTER works on PostgreSQL and SQLite alike.
_DUE = (
    "((c.state = %(review)s AND c.due < %(end)s) OR (c.state IN (%(learning)s, %(relearning)s) AND c.due <= %(now)s))"
)
DUE_SUMMARY_SQL = f"""
SELECT COUNT(*) FILTER (WHERE {_DUE}) AS due_now,
       COUNT(*) FILTER (WHERE c.state = %(new)s) AS new_cards,
       COUNT(*) FILTER (WHERE c.new_studied_at >= %(start)s) AS studied,
       COUNT(*) FILTER (WHERE c.state IN (%(learning)s, %(relearning)s) AND c.due > %(now)s AND c.due < %(end)s)
         AS later_today,
       COUNT(*) FILTER (WHERE c.state <> %(new)s AND c.due >= %(end)s AND c.due < %(tomorrow_end)s) AS tomorrow,
       MIN(c.due) FILTER (WHERE c.state <> %(new)s AND NOT {_DUE}) AS next_due
FROM {{card}} c JOIN {{question}} q ON q.id = c.question_id
WHERE c.user_id = %(user)s AND q.is_published
"""  # noqa: S608 (names from the models, values as parameters)


def _due_params(user, now: datetime) -> dict:
    start, end = day_bounds(user, now)
    tomorrow_end = day_start(user, local_today(user, now) + timedelta(days=2))
    moment = connection.ops.adapt_datetimefield_value
    return {
        "user": user.pk,
        "now": moment(now),
        "start": moment(start),
        "end": moment(end),
        "tomorrow_end": moment(tomorrow_end),
        "new": CardState.NEW.value,
        "learning": CardState.LEARNING.value,
        "review": CardState.REVIEW.value,
        "relearning": CardState.RELEARNING.value,
    }


@cache
def _due_sql() -> str:
    return DUE_SUMMARY_SQL.format(card=Card._meta.db_table, question=Question._meta.db_table)


def _summary(user, due_now: int, new: int, studied: int, later: int, tomorrow: int, next_due) -> DueSummary:
    if isinstance(next_due, str):  # SQLite returns the text it stores
        next_due = parse_datetime(next_due)
    if next_due is not None and timezone.is_naive(next_due):
        next_due = timezone.make_aware(next_due, UTC)
    allowance = max(0, user.new_cards_per_day - studied)
    return DueSummary(due=due_now, new=min(new, allowance), later_today=later, tomorrow=tomorrow, next_due=next_due)


def due_summary(user, now: datetime) -> DueSummary:
    """The counts of the navigation, the dashboard and the queue, in one aggregate query.

    Cards of unpublished questions never show in the queue, so they are not counted either."""
    with connection.cursor() as cursor:
        cursor.execute(_due_sql(), _due_params(user, now))
        return _summary(user, *cursor.fetchone())


def due_summary_for_request(request, now: datetime) -> DueSummary:
    """due_summary, computed once per request: the navigation and the page share its one query."""
    summary = getattr(request, "_review_due_summary", None)
    if summary is None:
        summary = due_summary(request.user, now)
        request._review_due_summary = summary
    return summary


def next_card(user, now: datetime, summary: DueSummary) -> Card | None:
    """The card to review now: the oldest due first, then new cards if today's limit allows (one query)."""
    _start, end = day_bounds(user, now)
    condition = due_q(now=now, day_end=end)
    if summary.new:
        condition |= Q(state=CardState.NEW)
    new_last = Case(When(state=CardState.NEW, then=Value(1)), default=Value(0), output_field=IntegerField())
    return (
        Card.objects.for_user(user)
        .filter(condition, question__is_published=True)
        .select_related("question")
        .order_by(new_last, "due", "id")
        .first()
    )


def weakest_tag(user) -> Tag | None:
    """The topic with the most cards the candidate last rated Again, for the empty queue's quiz offer."""
    return (
        Tag.objects.filter(questions__review_cards__user=user, questions__review_cards__last_rating=Rating.AGAIN)
        .annotate(forgotten=Count("questions__review_cards"))
        .order_by("-forgotten", "name")
        .first()
    )


# ---------------------------------------------------------------- the question list and pages


def with_personal_state(questions: QuerySet[Question], user, now: datetime | None = None) -> QuerySet[Question]:
    """Questions annotated with the candidate's card and note, joined in the same query (no query per row).

    Adds my_state (None when the question has no card: unseen), my_due, my_last_rating, my_reps, my_starred
    and my_note; with `now`, my_is_due too.
    """
    annotated = questions.annotate(
        my_card=FilteredRelation("review_cards", condition=Q(review_cards__user=user)),
        my_notes=FilteredRelation("notes", condition=Q(notes__user=user)),
    ).annotate(
        my_state=F("my_card__state"),
        my_due=F("my_card__due"),
        my_last_rating=F("my_card__last_rating"),
        my_reps=F("my_card__reps"),
        my_starred=F("my_notes__starred"),
        my_note=F("my_notes__text"),
    )
    if now is None:
        return annotated
    _start, end = day_bounds(user, now)
    return annotated.annotate(
        my_is_due=ExpressionWrapper(due_q(now=now, day_end=end, prefix="my_card__"), output_field=BooleanField())
    )


def personal_filter(questions: QuerySet[Question], user, mine: str, now: datetime) -> QuerySet[Question]:
    """The question list's ?mine= filter on a with_personal_state queryset; an unknown value filters nothing."""
    if mine == "unseen":
        return questions.filter(my_card__isnull=True)
    if mine == "due":
        _start, end = day_bounds(user, now)
        return questions.filter(due_q(now=now, day_end=end, prefix="my_card__"))
    if mine == "wrong":
        return questions.filter(my_card__last_rating=Rating.AGAIN)
    if mine == "starred":
        return questions.filter(my_notes__starred=True)
    if mine == "noted":
        return questions.filter(my_notes__text__gt="")
    return questions


def personal_questions(questions: QuerySet[Question], user, mine: str, now: datetime) -> QuerySet[Question]:
    """What the question list applies for a signed-in candidate: the state columns and the ?mine= filter."""
    if not user.is_authenticated:
        return questions
    return personal_filter(with_personal_state(questions, user, now), user, mine, now)


STATE_COLUMNS = ("my_state", "my_is_due", "my_due", "my_last_rating", "my_starred", "my_note")
NO_STATE = dict.fromkeys(STATE_COLUMNS)


def states_of(user, question_ids: list[int], now: datetime) -> dict[int, dict]:
    """The candidate's state of these questions, by id, in one query (the question list's page)."""
    rows = (
        with_personal_state(Question.objects.filter(pk__in=question_ids), user, now)
        .order_by()
        .values("pk", *STATE_COLUMNS)
    )
    return {row.pop("pk"): row for row in rows}


def personal_ids(user, question_ids: list[int], mine: str, now: datetime) -> set[int]:
    """Which of these questions pass the ?mine= filter (ranked search results), in one query."""
    questions = personal_filter(
        with_personal_state(Question.objects.filter(pk__in=question_ids), user, now), user, mine, now
    )
    return set(questions.values_list("pk", flat=True))


@dataclass
class QuestionState:
    card: Card | None
    starred: bool
    note: str


# One row whatever exists: the navigation's due counts, then the card's columns (all NULL without a card) and the
# note's. Written out: the ORM spent 3 ms of CPU building the card and note part with two filtered relations.
QUESTION_STATE_SQL = """
SELECT due.*, {card_columns}, note.starred, note.text
FROM ({due}) AS due
LEFT JOIN {card} card ON card.user_id = %(user)s AND card.question_id = %(question)s
LEFT JOIN {note} note ON note.user_id = %(user)s AND note.question_id = %(question)s
"""


CARD_FIELDS = tuple(Card._meta.concrete_fields)


@cache
def _question_state_sql() -> str:
    return QUESTION_STATE_SQL.format(
        due=_due_sql(),
        card_columns=", ".join(f"card.{f.column}" for f in CARD_FIELDS),
        card=Card._meta.db_table,
        note=QuestionNote._meta.db_table,
    )


def question_state_for_request(request, question_id: int, now: datetime) -> QuestionState:
    """The candidate's card, bookmark and note of one question, and the navigation's due counts (kept for
    due_summary_for_request), in one query."""
    user = request.user
    with connection.cursor() as cursor:
        cursor.execute(_question_state_sql(), {**_due_params(user, now), "question": question_id})
        row = cursor.fetchone()
    request._review_due_summary = _summary(user, *row[:6])
    values, (starred, note) = row[6 : 6 + len(CARD_FIELDS)], row[6 + len(CARD_FIELDS) :]
    card = None
    if values[0] is not None:  # the id: there is a card
        card = Card.from_db(connection.alias, None, from_db(CARD_FIELDS, values))
    return QuestionState(card, bool(starred), note or "")


# ---------------------------------------------------------------- the retention panel


def retention(user, now: datetime) -> dict:
    """Reviews per day (last 30 days), the share recalled, cards by state, due cards of the next 14 days.

    Two aggregate queries, whatever the number of cards and reviews.
    """
    zone = user_zone(user)
    today = local_today(user, now)
    first_day = today - timedelta(days=RETENTION_DAYS - 1)
    rows = (
        ReviewLog.objects.filter(user=user, reviewed_at__gte=day_start(user, first_day))
        .annotate(day=TruncDate("reviewed_at", tzinfo=zone))
        .values("day")
        .annotate(reviews=Count("id"), recalled=Count("id", filter=Q(rating__gte=Rating.GOOD)))
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    days = []
    for offset in range(RETENTION_DAYS):
        day = first_day + timedelta(days=offset)
        row = by_day.get(day, {})
        days.append({"day": day, "reviews": row.get("reviews", 0), "recalled": row.get("recalled", 0)})
    reviews = sum(d["reviews"] for d in days)
    recalled = sum(d["recalled"] for d in days)

    # Cards by state and, for cards due before the horizon, by local day: one grouped query, at most
    # 4 states x (14 days + 1) rows however many cards there are.
    horizon = day_start(user, today + timedelta(days=FORECAST_DAYS))
    scheduled = ~Q(state=CardState.NEW)
    day = Case(
        When(scheduled & Q(due__lt=day_start(user, today)), then=Value(today)),  # overdue: due today
        When(scheduled & Q(due__lt=horizon), then=TruncDate("due", tzinfo=zone)),
        default=None,
        output_field=DateField(),
    )
    grouped = (
        Card.objects.for_user(user).annotate(day=day).values_list("state", "day").annotate(n=Count("id")).order_by()
    )
    counts: dict[int, int] = {}
    due_by_day: dict[date, int] = {}
    for state, day, n in grouped:
        counts[state] = counts.get(state, 0) + n
        if day is not None:
            due_by_day[day] = due_by_day.get(day, 0) + n
    states = [{"state": s, "label": s.label, "count": counts.get(s.value, 0)} for s in CardState]
    forecast = [
        {"day": today + timedelta(days=n), "due": due_by_day.get(today + timedelta(days=n), 0)}
        for n in range(FORECAST_DAYS)
    ]
    return {
        "days": days,
        "reviews": reviews,
        "recalled": recalled,
        "recall_percent": round(100 * recalled / reviews) if reviews else None,
        "states": states,
        "cards": sum(s["count"] for s in states),
        "forecast": forecast,
        "forecast_max": max((f["due"] for f in forecast), default=0),
        "days_max": max((d["reviews"] for d in days), default=0),
    }
