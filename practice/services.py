"""Workflows of quizzes and mock interviews. Each takes `now` so tests control the clock."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, QuerySet

from accounts.models import User
from interviewprep import request_cache
from questions.models import Choice, Difficulty, Question, Tag

from . import stats
from .keypoints import covered_points
from .models import INTERVIEW_GRACE, Answer, Attempt, AttemptItem, DifficultyMix, Kind, Status


class PracticeError(Exception):
    """A request the rules refuse; the message is shown to the candidate."""


class InvalidChoiceError(PracticeError):
    """The submitted choice is not one of the item's choices (or none was given)."""


class NotEnoughQuestionsError(PracticeError):
    def __init__(self, available: int):
        self.available = available
        if available == 0:
            message = "No published question matches these filters. Choose other topics or any difficulty."
        else:
            message = (
                f"Only {available} question{'s' if available != 1 else ''} match these filters: "
                f"ask for {available} or fewer, or widen the filters."
            )
        super().__init__(message)


def get_attempt_for_user(user: User, pk: int, kind: str | None = None) -> Attempt:
    """The one access rule for attempts: the owner's (and of the right kind, if given), else 404, never 403."""
    from django.shortcuts import get_object_or_404

    attempts = Attempt.objects.for_user(user)
    if kind is not None:
        attempts = attempts.filter(kind=kind)
    return get_object_or_404(attempts, pk=pk)


def _candidate_questions(*, tags: list[Tag], difficulty: str) -> QuerySet[Question]:
    questions = Question.objects.published()
    if tags:
        questions = questions.filter(tags__in=tags).distinct()
    if difficulty in Difficulty.values:
        questions = questions.filter(difficulty=difficulty)
    return questions


def _pick_questions(*, user: User, candidates: QuerySet[Question], count: int, rng: random.Random) -> list[int]:
    """Random questions, preferring those never seen, then those answered wrongly, then the rest."""
    ids = list(candidates.values_list("id", flat=True))
    if len(ids) < count:
        raise NotEnoughQuestionsError(len(ids))
    seen = set(
        AttemptItem.objects.filter(attempt__user=user, question_id__in=ids).values_list("question_id", flat=True)
    )
    right = set(
        Answer.objects.filter(item__attempt__user=user, item__question_id__in=ids, is_correct=True).values_list(
            "item__question_id", flat=True
        )
    )
    rng.shuffle(ids)
    # Never seen first, then seen but never answered right, then answered right before.
    ids.sort(key=lambda pk: 0 if pk not in seen else (2 if pk in right else 1))
    return ids[:count]


def _create_attempt(
    *, user: User, kind: str, tags: list[Tag], question_ids: list[int], now: datetime, **fields
) -> Attempt:
    attempt = Attempt.objects.create(user=user, kind=kind, question_count=len(question_ids), started_at=now, **fields)
    if tags:
        attempt.tags.set(tags)
    return attempt


@transaction.atomic
def quiz_start(
    *,
    user: User,
    tags: list[Tag],
    difficulty: str,
    question_count: int,
    feedback_mode: str,
    now: datetime,
    question_ids: list[int] | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Draw the questions, fix their order and the order of each question's choices."""
    rng = rng or random.Random()
    if question_ids is None:
        question_ids = _pick_questions(
            user=user, candidates=_candidate_questions(tags=tags, difficulty=difficulty), count=question_count, rng=rng
        )
    choices: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(question_id__in=question_ids).values_list("question_id", "id"):
        choices.setdefault(question_id, []).append(choice_id)
    attempt = _create_attempt(
        user=user,
        kind=Kind.QUIZ,
        tags=tags,
        question_ids=question_ids,
        now=now,
        difficulty=difficulty if difficulty in DifficultyMix.values else DifficultyMix.ANY,
        feedback_mode=feedback_mode,
    )
    items = []
    for position, question_id in enumerate(question_ids, 1):
        order = choices.get(question_id, [])
        rng.shuffle(order)
        items.append(AttemptItem(attempt=attempt, question_id=question_id, position=position, choice_order=order))
    AttemptItem.objects.bulk_create(items)
    stats.record_seen(user.pk, question_ids)
    return attempt


DIAGNOSTIC_LENGTH = 5


@transaction.atomic
def quiz_diagnostic_start(*, user: User, now: datetime, rng: random.Random | None = None) -> Attempt:
    """A first quiz of five questions, each from a different topic, with feedback after each answer.

    Its answers fill the mastery table (through the same stats as any quiz), so the dashboard can point the
    candidate at their weakest topics from day one.
    """
    rng = rng or random.Random()
    by_tag: dict[int, list[int]] = {}
    pairs = Question.tags.through.objects.filter(question__is_published=True).values_list("tag_id", "question_id")
    for tag_id, question_id in pairs:
        by_tag.setdefault(tag_id, []).append(question_id)
    tag_ids = list(by_tag)
    rng.shuffle(tag_ids)
    chosen: list[int] = []
    for tag_id in tag_ids:
        fresh = [q for q in by_tag[tag_id] if q not in chosen]
        if fresh:
            chosen.append(rng.choice(fresh))
        if len(chosen) == DIAGNOSTIC_LENGTH:
            break
    if not chosen:
        raise NotEnoughQuestionsError(0)
    return quiz_start(
        user=user,
        tags=[],
        difficulty=DifficultyMix.ANY,
        question_count=len(chosen),
        feedback_mode="each",
        now=now,
        question_ids=chosen,
        rng=rng,
    )


@dataclass
class QuizAnswerResult:
    answer: Answer
    duplicate: bool  # True when the item was already answered: nothing changed
    finished: bool


@transaction.atomic
def quiz_answer(*, attempt: Attempt, position: int | None, choice_id: int | None, now: datetime) -> QuizAnswerResult:
    """Record the answer to one item. Final: a second submit of the same item changes nothing.

    A missing or foreign choice raises InvalidChoiceError, checked after the item and a second submit.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    item = attempt.items.select_related("answer").filter(position=position).first()
    if item is None:
        raise PracticeError("That question is not part of this quiz.")
    if hasattr(item, "answer"):
        return QuizAnswerResult(item.answer, duplicate=True, finished=attempt.status == Status.FINISHED)
    if not attempt.is_active:
        raise PracticeError("This quiz has ended; its answers can no longer change.")
    if choice_id not in item.choice_order:
        raise InvalidChoiceError("That answer is not one of this question's choices.")
    choice = Choice.objects.get(pk=choice_id)
    try:
        # The one-to-one constraint is the last word when two submits race past the check above.
        with transaction.atomic():
            answer = Answer.objects.create(
                item=item, choice=choice, choice_text=choice.text, is_correct=choice.is_correct, answered_at=now
            )
    except IntegrityError:
        return QuizAnswerResult(Answer.objects.get(item=item), duplicate=True, finished=False)
    stats.record_quiz_answer(attempt.user_id, item.question_id, choice.is_correct)
    finished = not attempt.items.filter(answer__isnull=True).exists()
    if finished:
        _quiz_finish(attempt, now)
    return QuizAnswerResult(answer, duplicate=False, finished=finished)


FINISH_FIELDS = ["status", "finished_at", "score", "correct_count", "answered_count", "timed_out"]


def _quiz_finish(attempt: Attempt, now: datetime) -> None:
    counts = Answer.objects.filter(item__attempt=attempt).aggregate(
        answered=Count("id"), correct=Count("id", filter=Q(is_correct=True))
    )
    attempt.finish(
        now,
        score=100 * counts["correct"] / attempt.question_count,
        answered=counts["answered"],
        correct_count=counts["correct"],
    )
    attempt.save(update_fields=FINISH_FIELDS)


@transaction.atomic
def quiz_finish(*, attempt: Attempt, now: datetime) -> Attempt:
    """End the quiz and store its score; unanswered questions count as wrong."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_active:
        _quiz_finish(attempt, now)
    return attempt


@transaction.atomic
def attempt_abandon(*, attempt: Attempt, now: datetime) -> Attempt:
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_active:
        raise PracticeError("Only an unfinished attempt can be abandoned.")
    attempt.abandon(now)
    attempt.save(update_fields=["status", "finished_at"])
    return attempt


def quiz_retry_wrong(*, attempt: Attempt, now: datetime) -> Attempt:
    """A new quiz of the questions this finished quiz got wrong (or left unanswered)."""
    if attempt.status != Status.FINISHED:
        raise PracticeError("Finish the quiz before retrying its wrong answers.")
    wrong = list(
        attempt.items.filter(Q(answer__isnull=True) | Q(answer__is_correct=False), question__is_published=True)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    if not wrong:
        raise PracticeError("You got every question right: there is nothing to retry.")
    return quiz_start(
        user=attempt.user,
        tags=list(attempt.tags.all()),
        difficulty=attempt.difficulty,
        question_count=len(wrong),
        feedback_mode=attempt.feedback_mode,
        now=now,
        question_ids=wrong,
    )


# ---------------------------------------------------------------- mock interviews


@transaction.atomic
def interview_start(
    *,
    user: User,
    tags: list[Tag],
    difficulty: str,
    question_count: int,
    minutes: int,
    now: datetime,
    rng: random.Random | None = None,
) -> Attempt:
    """Draw the questions and fix the deadline: it never moves afterwards."""
    rng = rng or random.Random()
    candidates = _candidate_questions(tags=tags, difficulty=difficulty)
    question_ids = _pick_questions(user=user, candidates=candidates, count=question_count, rng=rng)
    if difficulty == DifficultyMix.PROGRESSIVE:
        rank = {
            pk: Difficulty.rank(d)
            for pk, d in Question.objects.filter(pk__in=question_ids).values_list("pk", "difficulty")
        }
        question_ids.sort(key=lambda pk: rank[pk])
    attempt = _create_attempt(
        user=user,
        kind=Kind.INTERVIEW,
        tags=tags,
        question_ids=question_ids,
        now=now,
        difficulty=difficulty,
        deadline=now + timedelta(minutes=minutes),
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, question_id=pk, position=n) for n, pk in enumerate(question_ids, 1)
    )
    stats.record_seen(user.pk, question_ids)
    forget_due_time(user)
    return attempt


class DeadlinePassedError(PracticeError):
    """The interview no longer accepts edits (deadline passed or finished)."""


@dataclass
class SaveResult:
    answer: Answer
    stored: bool  # False when a newer save was already stored: this one was older and is ignored


@transaction.atomic
def interview_save_answer(
    *, attempt: Attempt, position: int, text: str, revision: int | None, now: datetime
) -> SaveResult:
    """Store an answer unless the interview is over or a newer revision is already stored.

    The deadline is checked inside the transaction that writes, with the attempt row locked, so a save
    and a finish (or the deadline) cannot interleave.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.accepts_saves(now):
        if attempt.is_active:
            _interview_finish(attempt, now, timed_out=True)
        raise DeadlinePassedError("Time is up: this interview has ended, so this change was not saved.")
    item = attempt.items.filter(position=position).first()
    if item is None:
        raise PracticeError("That question is not part of this interview.")
    if revision is None:
        revision = int(now.timestamp() * 1000)
    answer, created = Answer.objects.get_or_create(
        item=item, defaults={"text": text, "revision": revision, "answered_at": now}
    )
    if created:
        return SaveResult(answer, stored=True)
    if revision <= answer.revision:
        return SaveResult(answer, stored=False)
    answer.text, answer.revision, answer.answered_at = text, revision, now
    answer.save(update_fields=["text", "revision", "answered_at"])
    return SaveResult(answer, stored=True)


def question_score(coverage: float | None, rating: int | None) -> float:
    """0 to 1. Automatic coverage and the self-rating count half each; until rated, coverage alone."""
    coverage = coverage or 0.0
    if rating is None:
        return coverage
    return 0.5 * coverage + 0.5 * rating / 4


def _store_interview_score(attempt: Attempt) -> None:
    answers = {a.item_id: a for a in Answer.objects.filter(item__attempt=attempt)}
    total = sum(question_score(a.coverage, a.self_rating) for a in answers.values())
    attempt.score = round(100 * total / attempt.question_count, 2)


def _interview_finish(attempt: Attempt, now: datetime, *, timed_out: bool) -> None:
    items = list(attempt.items.select_related("answer").prefetch_related("question__key_points"))
    answered = 0
    for item in items:
        answer = getattr(item, "answer", None)
        if answer is None:
            continue
        answered += bool(answer.text.strip())
        points = list(item.question.key_points.all())
        answer.covered_points = covered_points(answer.text, points)
        answer.coverage = len(answer.covered_points) / len(points) if points else 0.0
        answer.save(update_fields=["covered_points", "coverage"])
    attempt.finish(now, score=0, answered=answered, timed_out=timed_out)
    _store_interview_score(attempt)
    attempt.save(update_fields=FINISH_FIELDS)
    stats.record_interview_finished(attempt)


@transaction.atomic
def interview_finish(*, attempt: Attempt, now: datetime) -> Attempt:
    """End the interview with what was saved: early by the candidate, or at the deadline."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_active:
        _interview_finish(attempt, now, timed_out=attempt.is_past_deadline(now))
    return attempt


@transaction.atomic
def interview_rate(*, attempt: Attempt, position: int, rating: int, now: datetime) -> Attempt:
    """Store the candidate's self-rating of one answer and recompute the interview's score."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != Status.FINISHED:
        raise PracticeError("Rate your answers once the interview has ended.")
    item = attempt.items.filter(position=position).first()
    if item is None:
        raise PracticeError("That question is not part of this interview.")
    answer, _ = Answer.objects.get_or_create(item=item, defaults={"text": "", "answered_at": now, "coverage": 0.0})
    answer.self_rating = rating
    answer.save(update_fields=["self_rating"])
    _store_interview_score(attempt)
    attempt.save(update_fields=["score"])
    return attempt


def close_expired_interviews(*, now: datetime, user: User | None = None) -> int:
    """Finish every interview past its deadline and grace period; returns how many."""
    expired = Attempt.objects.expired(now)
    if user is not None:
        expired = expired.filter(user=user)
    closed = 0
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().get(pk=pk)
            if attempt.is_active:
                _interview_finish(attempt, now, timed_out=True)
                closed += 1
    return closed


DUE_TIMEOUT = 10 * 60


def due_key(user_id: int) -> str:
    return f"interviews:due:{user_id}"


def close_due_interviews(*, user: User, now: datetime) -> int:
    """close_expired_interviews for one candidate, cheap enough for every request.

    With a fast shared cache (settings.FAST_CACHE) the time the candidate's first running interview falls due
    (deadline plus grace; 0 for none) is kept in the cache, so most requests cost one cache read and no query.
    interview_start forgets it; the value also expires after DUE_TIMEOUT, and the close_expired_interviews
    command remains the backstop for candidates who never come back.
    """
    if not settings.FAST_CACHE:
        return close_expired_interviews(now=now, user=user)
    key = due_key(user.pk)
    due = request_cache.get(key)
    if due is None:
        deadline = Attempt.objects.for_user(user).interviews().active().aggregate(first=Min("deadline"))["first"]
        due = (deadline + INTERVIEW_GRACE).timestamp() if deadline else 0
        request_cache.set(key, due, DUE_TIMEOUT)
    if not due or now.timestamp() <= due:
        return 0
    closed = close_expired_interviews(now=now, user=user)
    request_cache.drop(key)
    return closed


def forget_due_time(user: User) -> None:
    """A new interview: drop the cached due time now and again once the transaction commits."""
    if settings.FAST_CACHE:
        request_cache.drop(due_key(user.pk))


def tag_breakdown(attempt: Attempt) -> list[dict]:
    """Per-tag right/total of a quiz, in one aggregate query."""
    rows = (
        Tag.objects.filter(questions__attempt_items__attempt=attempt)
        .annotate(
            total=Count("questions__attempt_items"),
            correct=Count(
                "questions__attempt_items",
                filter=Q(questions__attempt_items__answer__is_correct=True),
            ),
        )
        .order_by("name")
        .values("name", "slug", "total", "correct")
    )
    return [{**row, "percent": round(100 * row["correct"] / row["total"])} for row in rows]


@transaction.atomic
def progress_reset(*, user: User) -> int:
    """Delete every attempt of the candidate (with its items and answers); the account stays."""
    attempts = Attempt.objects.for_user(user)
    count = attempts.count()
    attempts.delete()
    stats.forget(user.pk)
    return count
