"""What other apps' pages show of the candidate's review state: the question page's panel, the question list's
filters and columns. Small functions the questions views call, so those views stay the bank's."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest

from questions.models import Question

from . import queries, scheduling
from .forms import NoteForm
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
    """The question page's "Your review" panel (one query), or None for visitors."""
    if not request.user.is_authenticated:
        return None
    state = queries.question_state(request.user, question_id)
    _start, day_end = queries.day_bounds(request.user, now)
    card = state.card
    return {
        "question_id": question_id,
        "card": card,
        "is_due": bool(card and card.is_due(now=now, day_end=day_end)),
        "starred": state.starred,
        "note": state.note,
        "note_form": NoteForm(initial={"text": state.note}),
        "buttons": rating_buttons(card, now, request.user.desired_retention),
    }


def personal_list(request: HttpRequest, questions: QuerySet[Question], now: datetime) -> tuple[QuerySet, dict]:
    """The question list's personal filter (?mine=) and state columns, for a signed-in candidate.

    Returns the queryset to paginate and what the list's include templates need.
    """
    if not request.user.is_authenticated:
        return questions, {}
    mine = request.GET.get("mine", "")
    known = mine in queries.PERSONAL_FILTERS
    questions = queries.personal_questions(questions, request.user, mine if known else "", now)
    return questions, {
        "mine": mine if known else "",
        "mine_invalid": bool(mine) and not known,
        "mine_label": queries.PERSONAL_FILTERS.get(mine, ""),
        "filters": queries.PERSONAL_FILTERS,
    }
