"""What other apps' pages show of the candidate's review state: the question page's panel, the question list's
filters and columns. Small functions the questions views call, so those views stay the bank's."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest

from . import queries, scheduling
from .models import Card, CardState, Rating


def rating_buttons(card: Card | None, now: datetime, desired_retention: float) -> list[dict]:
    """The four buttons with the interval each would schedule, as Anki shows them ("10 min", "3 days")."""
    preview_card = card or Card(state=CardState.NEW, due=now)
    intervals = scheduling.preview(preview_card, now, desired_retention)
    return [
        {
            "value": rating.value,
            "label": rating.label,
            "key": rating.value,
            "interval": scheduling.interval_label(intervals[rating.value]),
        }
        for rating in Rating
    ]


def question_panel(request: HttpRequest, question_id: int, now: datetime) -> dict | None:
    """The question page's "Your review" panel, or None for visitors: one query, which also counts what the
    navigation shows as due."""
    if not request.user.is_authenticated:
        return None
    state = queries.question_state_for_request(request, question_id, now)
    _start, day_end = queries.day_bounds(request.user, now)
    card = state.card
    return {
        "question_id": question_id,
        "card": card,
        "is_due": bool(card and card.is_due(now=now, day_end=day_end)),
        "starred": state.starred,
        "note": state.note,
        "buttons": rating_buttons(card, now, request.user.desired_retention),
    }


def _mine(request: HttpRequest) -> str:
    mine = request.GET.get("mine", "")
    return mine if mine in queries.PERSONAL_FILTERS else ""


def personal_filter(request: HttpRequest, questions: QuerySet | list, now: datetime) -> QuerySet | list:
    """The question list's ?mine= filter (unseen, due, wrong last time, bookmarked, with notes).

    A queryset is filtered in its own SQL (no query of its own); a list (ranked search results) is filtered with
    one query, and only when a filter is chosen. Visitors and unknown values filter nothing.
    """
    mine = _mine(request)
    if not request.user.is_authenticated or not mine:
        return questions
    if isinstance(questions, QuerySet):
        return queries.personal_questions(questions, request.user, mine, now)
    keep = queries.personal_ids(request.user, [q.pk for q in questions], mine, now)
    return [q for q in questions if q.pk in keep]


def personal_state(request: HttpRequest, page, now: datetime) -> dict:
    """The candidate's state of each question on the page (my_state, my_is_due, my_due, my_last_rating,
    my_starred, my_note set on each), in one query, and what the list's include templates need."""
    if not request.user.is_authenticated:
        return {}
    questions = list(page.object_list)
    if questions:
        states = queries.states_of(request.user, [q.pk for q in questions], now)
        for question in questions:
            for name, value in states.get(question.pk, queries.NO_STATE).items():
                setattr(question, name, value)
    mine = request.GET.get("mine", "")
    return {
        "mine": _mine(request),
        "mine_invalid": bool(mine) and not _mine(request),
        "mine_label": queries.PERSONAL_FILTERS.get(mine, ""),
        "filters": queries.PERSONAL_FILTERS,
    }
