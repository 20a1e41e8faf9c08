"""Workflows of the review cards. Each takes `now` so tests control the clock; each is atomic."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.models import User
from questions.models import Question

from . import scheduling
from .models import NOTE_MAX_LENGTH, Card, CardState, QuestionNote, Rating, ReviewLog, Source


class ReviewError(Exception):
    """A request the rules refuse; the message is shown to the candidate."""


@dataclass
class ReviewResult:
    card: Card
    log: ReviewLog | None
    duplicate: bool  # True when the form was stale (a double submit): nothing changed


def rating_for_quiz(is_correct: bool) -> int:
    return Rating.GOOD if is_correct else Rating.AGAIN


def rating_for_self_rating(self_rating: int) -> int:
    """An interview self-rating 0-4: 0-1 Again, 2 Hard, 3 Good, 4 Easy."""
    if self_rating <= 1:
        return Rating.AGAIN
    return {2: Rating.HARD, 3: Rating.GOOD}.get(self_rating, Rating.EASY)


def apply_review(card: Card, *, rating: int, now: datetime, desired_retention: float, source: str) -> ReviewLog:
    """Schedule `card` in memory with FSRS for this rating and return its (unsaved) log row.

    The one rule of what a review changes; card_review saves both, the quiz answer's single statement too.
    """
    state_before = card.state
    reviewed = scheduling.review(card, rating, now, desired_retention)
    card.state = int(reviewed.state)
    card.step = reviewed.step
    card.stability = reviewed.stability
    card.difficulty = reviewed.difficulty
    card.due = reviewed.due
    card.last_review = now
    card.last_rating = rating
    card.reps += 1
    if state_before == CardState.REVIEW and rating == Rating.AGAIN:
        card.lapses += 1
    if state_before == CardState.NEW:
        card.new_studied_at = now
    return ReviewLog(
        card=card if card.pk else None,
        user_id=card.user_id,
        question_id=card.question_id,
        rating=rating,
        source=source,
        state_before=state_before,
        reviewed_at=now,
        due_after=card.due,
        stability_after=card.stability,
        difficulty_after=card.difficulty,
    )


def _locked_card(*, user: User, question: Question | int, now: datetime) -> tuple[Card, bool]:
    """The candidate's card of the question, locked for this transaction; created (as new) if missing."""
    question_id = _question_id(question)
    card = Card.objects.select_for_update().filter(user=user, question_id=question_id).first()
    if card is not None:
        return card, False
    try:
        # The named unique constraint settles two first reviews racing each other.
        with transaction.atomic():
            card = Card.objects.create(user=user, question_id=question_id, state=CardState.NEW, due=now, created_at=now)
    except IntegrityError:
        return Card.objects.select_for_update().get(user=user, question_id=question_id), False
    return card, True


def _question_id(question: Question | int) -> int:
    return question if isinstance(question, int) else question.pk


def _check_question(question: Question | int) -> int:
    question_id = _question_id(question)
    if not Question.objects.published().filter(pk=question_id).exists():
        raise ReviewError("That question does not exist or is no longer published.")
    return question_id


@transaction.atomic
def card_add(*, user: User, question: Question | int, now: datetime) -> tuple[Card, bool]:
    """The question page's "Add to my reviews": a new card, due now, that the daily new-card limit lets into
    the queue. Returns the card and whether it was created (an existing card is left as it is)."""
    question_id = _check_question(question)
    card, created = _locked_card(user=user, question=question_id, now=now)
    return card, created


@transaction.atomic
def card_review(
    *,
    user: User,
    question: Question | int,
    rating: int,
    now: datetime,
    source: str = Source.REVIEW,
    expected_reps: int | None = None,
    check_published: bool = True,
) -> ReviewResult:
    """Rate the recall of one question, creating its card on the first time, and schedule it with FSRS.

    `expected_reps` is the card's review count the form was rendered with: when it no longer matches, the
    submit is a repeat (a double click, a second tab) and nothing changes. Practice's own calls skip the
    published check (check_published=False): their questions were published when the attempt started.
    """
    if rating not in Rating.values:
        raise ReviewError("Rate your recall with Again, Hard, Good or Easy (1 to 4).")
    if source not in Source.values:
        raise ReviewError("Unknown source of a review.")
    question_id = _check_question(question) if check_published else _question_id(question)
    if expected_reps:  # a form shown after some reviews: the card must exist, and is never created here
        card = Card.objects.select_for_update().filter(user=user, question_id=question_id).first()
        if card is None:
            return ReviewResult(Card(user=user, question_id=question_id, due=now, created_at=now), None, True)
    else:
        card, _created = _locked_card(user=user, question=question_id, now=now)
    if expected_reps is not None and card.reps != expected_reps:
        return ReviewResult(card, None, duplicate=True)
    log = apply_review(card, rating=rating, now=now, desired_retention=user.desired_retention, source=source)
    card.save()
    log.card = card
    log.save()
    return ReviewResult(card, log, duplicate=False)


def _locked_note(*, user: User, question_id: int, now: datetime) -> QuestionNote:
    note = QuestionNote.objects.select_for_update().filter(user=user, question_id=question_id).first()
    if note is not None:
        return note
    try:
        with transaction.atomic():
            return QuestionNote.objects.create(user=user, question_id=question_id, updated_at=now)
    except IntegrityError:
        return QuestionNote.objects.select_for_update().get(user=user, question_id=question_id)


@transaction.atomic
def note_save(*, user: User, question: Question | int, text: str, now: datetime) -> QuestionNote:
    """Store the candidate's private note (Markdown); an empty text clears it."""
    if len(text) > NOTE_MAX_LENGTH:
        raise ReviewError(f"A note can be at most {NOTE_MAX_LENGTH:,} characters long; nothing was saved.")
    question_id = _check_question(question)
    text = text.strip()
    if not text and not QuestionNote.objects.filter(user=user, question_id=question_id).exists():
        return QuestionNote(user=user, question_id=question_id, text="", updated_at=now)  # nothing to clear
    note = _locked_note(user=user, question_id=question_id, now=now)
    note.text = text
    note.updated_at = now
    note.save(update_fields=["text", "updated_at"])
    return note


@transaction.atomic
def note_append(*, user: User, question: Question | int, text: str, now: datetime) -> QuestionNote:
    """Keep an answer typed in the review queue: appended to the note, within the note's length limit."""
    question_id = _check_question(question)
    note = _locked_note(user=user, question_id=question_id, now=now)
    combined = f"{note.text}\n\n{text.strip()}" if note.text else text.strip()
    if len(combined) > NOTE_MAX_LENGTH:
        raise ReviewError(f"Your note would exceed {NOTE_MAX_LENGTH:,} characters, so your answer was not added to it.")
    note.text = combined
    note.updated_at = now
    note.save(update_fields=["text", "updated_at"])
    return note


@transaction.atomic
def bookmark_set(*, user: User, question: Question | int, starred: bool, now: datetime) -> QuestionNote:
    question_id = _check_question(question)
    note = _locked_note(user=user, question_id=question_id, now=now)
    note.starred = starred
    note.updated_at = now
    note.save(update_fields=["starred", "updated_at"])
    return note


@transaction.atomic
def schedule_reset(*, user: User) -> int:
    """Forget the candidate's review schedule (cards and their logs); attempts, notes and bookmarks stay.
    Returns how many cards were deleted."""
    cards = Card.objects.for_user(user)
    count = cards.count()
    cards.delete()
    return count
