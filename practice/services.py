"""Workflows of quizzes and mock interviews. Each takes `now` so tests control the clock."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.db import connection, models, transaction
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from interviewprep.sql import from_db
from questions.models import Choice, Difficulty, Question, Tag
from questions.services import QuizQuestion, quiz_questions
from reviews import services as reviews
from reviews.models import CARD_STATE_FIELDS, Card, CardState
from reviews.models import Source as ReviewSource

from . import quiz_write, scoring, stats
from .models import (
    Answer,
    Attempt,
    AttemptItem,
    DifficultyMix,
    EndReason,
    Kind,
    QuestionStat,
    Status,
    question_score,
)


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


# Caps on what one candidate can start: enough for any real practice, not for filling the database.
MAX_ACTIVE_ATTEMPTS = 20
MAX_STARTS_PER_HOUR = 60


class TooManyAttemptsError(PracticeError):
    """The candidate has too many unfinished attempts, or started too many in the last hour."""


def _check_start_caps(user: User, now: datetime) -> None:
    counts = Attempt.objects.filter(user=user).aggregate(
        active=Count("id", filter=Q(status=Status.ACTIVE)),
        recent=Count("id", filter=Q(started_at__gt=now - timedelta(hours=1), started_at__lte=now)),
    )
    if counts["active"] >= MAX_ACTIVE_ATTEMPTS:
        raise TooManyAttemptsError(
            f"You have {counts['active']} unfinished quizzes and interviews, the most allowed. "
            "Finish or abandon some of them (they are listed on your dashboard) before starting another."
        )
    if counts["recent"] >= MAX_STARTS_PER_HOUR:
        raise TooManyAttemptsError(
            f"You started {counts['recent']} quizzes and interviews in the last hour, the most allowed. "
            "Please take a break and try again later."
        )


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
    # The stored aggregates say it in one small query, whatever the length of the candidate's history: a row
    # per question an attempt of theirs has shown, with the quiz answers that were right.
    correct = dict(QuestionStat.objects.filter(user=user).values_list("question_id", "quiz_correct"))
    seen = set(correct)
    right = {pk for pk, count in correct.items() if count}
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
    _check_start_caps(user, now)
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
class QuizItem:
    """An item of a running quiz as its pages and the answer need it: plain values, no model instances."""

    pk: int
    position: int
    question_id: int
    choice_order: list
    answer: object | None  # an Answer, or what was read of one: choice_id and is_correct
    card: dict | None = None  # the candidate's card of the question as read (CARD_STATE_FIELDS), if any


@dataclass(frozen=True)
class StoredAnswer:
    choice_id: int | None
    is_correct: bool | None


@dataclass
class QuizAnswerResult:
    attempt: Attempt
    items: list[QuizItem]  # every item in order, with its answer as stored now (the next page's state)
    questions: dict[int, QuizQuestion]  # the bank entries of this item and of the next unanswered one
    duplicate: bool  # True when the item was already answered: nothing changed
    finished: bool

    @property
    def next_item(self) -> QuizItem | None:
        return next((i for i in self.items if i.answer is None), None)


# The quiz answer's one read: the quiz (locked), its items in order with their answers, and the candidate's card
# of the question answered (not locked: the write checks that it is still as read). Written out: with fifty items
# the ORM spent 4 ms of CPU building this query and converting its rows, four times what PostgreSQL spent on it.
def _columns(model, names: list[str]) -> tuple:
    return tuple(model._meta.get_field(name) for name in names)


_ATTEMPT = _columns(Attempt, ["status", "feedback_mode", "question_count", "started_at", "deadline", "answered_count"])
_ITEM = _columns(AttemptItem, ["id", "position", "question", "choice_order"])
_ANSWER = _columns(Answer, ["id", "choice", "is_correct"])
_READ_FIELDS = (*_ATTEMPT, *_ITEM, *_ANSWER, *CARD_STATE_FIELDS)
QUIZ_READ_SQL = """
SELECT {columns}
FROM {attempt} a
JOIN {item} i ON i.attempt_id = a.id
LEFT JOIN {answer} ans ON ans.item_id = i.id
LEFT JOIN {card} c ON c.user_id = a.user_id AND c.question_id = i.question_id AND i.position = %(position)s
WHERE a.id = %(attempt_id)s AND a.user_id = %(user)s AND a.kind = %(kind)s
ORDER BY i.position
{lock}
"""


@cache
def _quiz_read_sql(lock: bool) -> str:
    """The same for every answer: worked out once (with `FOR UPDATE OF a` where the database has it)."""
    tables = (("a", _ATTEMPT), ("i", _ITEM), ("ans", _ANSWER), ("c", CARD_STATE_FIELDS))
    return QUIZ_READ_SQL.format(
        columns=", ".join(f"{alias}.{f.column}" for alias, fields in tables for f in fields),
        attempt=Attempt._meta.db_table,
        item=AttemptItem._meta.db_table,
        answer=Answer._meta.db_table,
        card=Card._meta.db_table,
        lock="FOR UPDATE OF a" if lock else "",
    )


def _locked_quiz_items(user: User, attempt_id: int, position: int | None) -> tuple[Attempt, list[QuizItem]]:
    """The quiz, locked, its items in order with their answers, and the candidate's card of the item at
    `position`: one query. The owner and kind are part of it, so it is also the access check: another user's
    quiz raises Attempt.DoesNotExist (a 404 in the view)."""
    params = {"attempt_id": attempt_id, "user": user.pk, "kind": Kind.QUIZ.value, "position": position}
    with connection.cursor() as cursor:
        cursor.execute(_quiz_read_sql(connection.features.has_select_for_update_of), params)
        rows = [from_db(_READ_FIELDS, raw) for raw in cursor.fetchall()]
    if not rows:
        raise Attempt.DoesNotExist
    n_attempt, n_item, n_answer = len(_ATTEMPT), len(_ITEM), len(_ANSWER)
    values = {f.attname: v for f, v in zip(_ATTEMPT, rows[0][:n_attempt], strict=True)}
    attempt = Attempt(pk=attempt_id, user=user, kind=Kind.QUIZ, **values)
    items = []
    for row in rows:
        pk, item_position, question_id, choice_order = row[n_attempt : n_attempt + n_item]
        answer_id, choice_id, is_correct = row[n_attempt + n_item : n_attempt + n_item + n_answer]
        card = {f.attname: v for f, v in zip(CARD_STATE_FIELDS, row[n_attempt + n_item + n_answer :], strict=True)}
        items.append(
            QuizItem(
                pk,
                item_position,
                question_id,
                choice_order,
                StoredAnswer(choice_id, is_correct) if answer_id is not None else None,
                card if card["id"] is not None else None,
            )
        )
    return attempt, items


def _one_statement() -> bool:
    """Whether the answer's writes go as one statement (PostgreSQL's data-modifying CTEs)."""
    return connection.vendor == "postgresql"


def _review_card(user: User, question_id: int, rating: int, now: datetime) -> None:
    """Schedule the candidate's card of the question the locked way (reviews.card_review), for a quiz answer."""
    reviews.card_review(
        user=user, question=question_id, rating=rating, now=now, source=ReviewSource.QUIZ, check_published=False
    )


def _card_as_read(item: QuizItem, user: User, now: datetime) -> Card:
    if item.card is None:
        return Card(user=user, question_id=item.question_id, state=CardState.NEW, due=now, created_at=now)
    return Card(user=user, question_id=item.question_id, **item.card)


@transaction.atomic
def quiz_answer(
    *, user: User, attempt_id: int, position: int | None, choice_id: int | None, now: datetime
) -> QuizAnswerResult:
    """Record the answer to one item. Final: a second submit of the same item changes nothing.

    A missing or foreign choice raises InvalidChoiceError, checked after the item and a second submit. On
    PostgreSQL the answer costs two statements inside the transaction: the locking read, then one write
    (practice.quiz_write).
    """
    result = _quiz_answer(user, *_locked_quiz_items(user, attempt_id, position), position, choice_id, now)
    if result is None:
        # A read that waited for the lock sees the attempt as committed but the answers as they were when it
        # began (READ COMMITTED): a racing submit of this item was missing from it. Read again (the lock is
        # held now) and report what that submit stored.
        result = _quiz_answer(user, *_locked_quiz_items(user, attempt_id, position), position, choice_id, now)
    if result is None:
        raise PracticeError("That question was answered already.")
    return result


def _quiz_answer(
    user: User, attempt: Attempt, items: list[QuizItem], position: int | None, choice_id: int | None, now: datetime
) -> QuizAnswerResult | None:
    """quiz_answer on the items as read; None when the item turns out to be answered since (read again)."""
    item = next((i for i in items if i.position == position), None)
    if item is None:
        raise PracticeError("That question is not part of this quiz.")
    answered = item.answer is not None
    if not answered and not attempt.is_active:
        if attempt.status == Status.FINISHED and len(items) == attempt.answered_count:
            return None  # every item has an answer: this one's came from a racing submit
        raise PracticeError("This quiz has ended; its answers can no longer change.")
    following = next((i for i in items if i.answer is None and i is not item), None)
    questions = quiz_questions([item.question_id] + ([following.question_id] if following else []))
    result = QuizAnswerResult(attempt, items, questions, duplicate=answered, finished=not attempt.is_active)
    if answered:
        return result
    choice = questions[item.question_id].choices.get(choice_id) if choice_id in item.choice_order else None
    if choice is None:
        raise InvalidChoiceError("That answer is not one of this question's choices.")

    answer = Answer(
        item_id=item.pk, choice_id=choice.pk, choice_text=choice.text, is_correct=choice.is_correct, answered_at=now
    )
    result.finished = following is None
    if result.finished:
        answers = [i.answer for i in items if i is not item] + [answer]
        correct = sum(1 for a in answers if a.is_correct)
        attempt.finish(now, score=100 * correct / attempt.question_count, answered=len(answers), correct_count=correct)
    # The answer feeds the candidate's review schedule: wrong is Again, right is Good (the first creates the card).
    rating = reviews.rating_for_quiz(choice.is_correct)
    if _one_statement():
        card = _card_as_read(item, user, now)
        reps_before = card.reps if card.pk else None
        log = reviews.apply_review(
            card, rating=rating, now=now, desired_retention=user.desired_retention, source=ReviewSource.QUIZ
        )
        answer.pk, card_id = quiz_write.store_quiz_answer(
            answer=answer, card=card, log=log, reps_before=reps_before, finished=attempt if result.finished else None
        )
        if answer.pk is None:  # the one-to-one constraint: a racing submit stored this item's answer first
            return None
        if card_id is None:  # the card changed since it was read (a review in another tab): schedule it again
            _review_card(user, item.question_id, rating, now)
    else:
        answer.save()
        stats.record_quiz_answer(user.pk, item.question_id, choice.is_correct)
        _review_card(user, item.question_id, rating, now)
        if result.finished:
            attempt.save(update_fields=FINISH_FIELDS)
    item.answer = answer
    return result


FINISH_FIELDS = ["status", "finished_at", "score", "correct_count", "answered_count", "end_reason"]


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
    _check_start_caps(user, now)
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
    return attempt


class DeadlinePassedError(PracticeError):
    """The interview no longer accepts edits (deadline passed or finished)."""


CONFLICT_MESSAGE = "This answer was changed in another tab or device."


class AnswerConflictError(PracticeError):
    """A save based on an older revision than the stored one: refused, nothing changed."""

    def __init__(self, answer: Answer):
        self.answer = answer
        super().__init__(CONFLICT_MESSAGE)


@dataclass(frozen=True)
class AnswerDraft:
    """The text of one answer box as a tab sends it, with the revision that tab last saw (0: none)."""

    position: int
    text: str
    revision: int | None  # None: no check (a trusted caller, such as a script), the text simply wins


@dataclass
class SaveResult:
    answer: Answer
    stored: bool  # False when the stored text was already this text: nothing to change


# A finish the page sent itself at 00:00 may reach the server slightly before the deadline by its clock.
CLOCK_TOLERANCE = timedelta(seconds=5)


def _store_draft(
    item: AttemptItem, answer: Answer | None, draft: AnswerDraft, *, tab: str, now: datetime
) -> SaveResult:
    """Compare-and-set of one answer; the caller holds the attempt's row lock, so saves cannot interleave.

    Stored when the draft is based on the stored revision, or on an older one that this same tab wrote (its own
    save still in flight when it finished); the revision is then the stored one plus one. Refused with
    AnswerConflictError when another tab or device stored a newer revision meanwhile.
    """
    if answer is None:
        answer = Answer.objects.create(item=item, text=draft.text, revision=1, saved_by=tab, answered_at=now)
        return SaveResult(answer, stored=True)
    if answer.text == draft.text:
        return SaveResult(answer, stored=False)  # a replay, or a tab that caught up: nothing to overwrite
    own_older_save = bool(tab) and answer.saved_by == tab and draft.revision is not None
    own_older_save = own_older_save and draft.revision <= answer.revision
    if draft.revision is not None and draft.revision != answer.revision and not own_older_save:
        raise AnswerConflictError(answer)
    answer.text, answer.revision, answer.saved_by, answer.answered_at = draft.text, answer.revision + 1, tab, now
    answer.save(update_fields=["text", "revision", "saved_by", "answered_at"])
    return SaveResult(answer, stored=True)


def _lock(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def _close_if_due(attempt: Attempt, now: datetime) -> bool:
    """With the row locked: close a running interview whose deadline and grace have passed (the server's end)."""
    if attempt.is_due(now):
        _interview_finish(attempt, now, end_reason=EndReason.SERVER)
        return True
    return False


def interview_close_if_due(*, attempt: Attempt, now: datetime) -> Attempt:
    """Where an interview is shown: finish it first if its deadline and grace period have passed."""
    if not attempt.is_due(now):
        return attempt
    with transaction.atomic():
        attempt = _lock(attempt)
        _close_if_due(attempt, now)
    return attempt


def interview_save_answer(
    *, attempt: Attempt, position: int, text: str, revision: int | None, now: datetime, tab: str = ""
) -> SaveResult:
    """Store an answer unless the interview is over or another tab stored a newer revision since `revision`.

    The deadline is checked inside the transaction that writes, with the attempt row locked, so a save and a
    finish (or the deadline) cannot interleave. A save that arrives after the grace period closes the interview,
    commits that, and only then refuses the save (DeadlinePassedError), so the finish is never rolled back.
    """
    with transaction.atomic():
        attempt = _lock(attempt)
        _close_if_due(attempt, now)
        if attempt.is_active:
            item = attempt.items.select_related("answer").filter(position=position).first()
            if item is None:
                raise PracticeError("That question is not part of this interview.")
            answer = getattr(item, "answer", None)
            return _store_draft(item, answer, AnswerDraft(position, text, revision), tab=tab, now=now)
    raise DeadlinePassedError("Time is up: this interview has ended, so this change was not saved.")


class AnswersConflictError(PracticeError):
    """Some boxes of a "Save answers" were changed in another tab or device meanwhile: nothing was saved."""

    def __init__(self, conflicts: dict[int, Answer]):
        self.conflicts = conflicts  # position: the newer stored answer
        super().__init__(CONFLICT_MESSAGE)


def interview_save_answers(*, attempt: Attempt, drafts: list[AnswerDraft], now: datetime, tab: str = "") -> int:
    """The page's "Save answers" (no JavaScript): every box or none, each compare-and-set; returns how many changed.

    Refused as a whole with AnswersConflictError when another tab stored a newer revision of any box, so the page
    can show this tab's text beside the newer one; DeadlinePassedError (after committing the close) once over.
    """
    with transaction.atomic():
        attempt = _lock(attempt)
        _close_if_due(attempt, now)
        if attempt.is_active:
            items = {item.position: item for item in attempt.items.select_related("answer")}
            conflicts, changed = {}, 0
            for draft in drafts:
                item = items.get(draft.position)
                if item is None:
                    continue
                try:
                    changed += _store_draft(item, getattr(item, "answer", None), draft, tab=tab, now=now).stored
                except AnswerConflictError as exc:
                    conflicts[draft.position] = exc.answer
            if conflicts:
                raise AnswersConflictError(conflicts)  # rolls back the boxes stored above
            return changed
    raise DeadlinePassedError("Time is up: this interview has ended, so this change was not saved.")


class Unsaved(models.TextChoices):
    CONFLICT = "conflict", "changed in another tab or device"
    ENDED = "ended", "the interview had already ended"


@dataclass(frozen=True)
class UnsavedDraft:
    """A box whose text a finish could not store, so the candidate is shown it (never dropped silently)."""

    position: int
    text: str
    reason: str  # an Unsaved value


@dataclass
class FinishResult:
    attempt: Attempt
    unsaved: list[UnsavedDraft]


@transaction.atomic
def interview_submit(
    *, attempt: Attempt, drafts: list[AnswerDraft], now: datetime, tab: str = "", by_clock: bool = False
) -> FinishResult:
    """Finish with the text of every box as the page sent it: the candidate's Finish, or the page at 00:00.

    Each draft is stored (compare-and-set, as a save) before the interview ends, whatever the autosave had sent.
    A draft that cannot be stored (another tab stored a newer answer; or the interview was over: grace period
    passed, or finished in another tab) is returned in `unsaved` for the page to show.
    """
    attempt = _lock(attempt)
    _close_if_due(attempt, now)
    items = {item.position: item for item in attempt.items.select_related("answer")}
    unsaved: list[UnsavedDraft] = []
    if not attempt.is_active:
        for draft in drafts:
            stored = getattr(items.get(draft.position), "answer", None)
            if draft.position in items and draft.text != (stored.text if stored else ""):
                unsaved.append(UnsavedDraft(draft.position, draft.text, Unsaved.ENDED))
        return FinishResult(attempt, unsaved)
    for draft in drafts:
        if draft.position not in items:
            continue
        try:
            item = items[draft.position]
            _store_draft(item, getattr(item, "answer", None), draft, tab=tab, now=now)
        except AnswerConflictError:
            unsaved.append(UnsavedDraft(draft.position, draft.text, Unsaved.CONFLICT))
    by_clock = attempt.is_past_deadline(now) or (by_clock and now >= attempt.deadline - CLOCK_TOLERANCE)
    _interview_finish(attempt, now, end_reason=EndReason.CLOCK if by_clock else EndReason.CANDIDATE)
    return FinishResult(attempt, unsaved)


def _store_hint(answer: Answer, question: Question) -> None:
    """The automatic hint of one answer (practice.scoring), stored with its evidence."""
    hint = scoring.score_answer(
        question, answer.text, key_points=question.key_points.all(), choices=question.choices.all()
    )
    answer.coverage = round(hint.score, 4)
    answer.covered_points = hint.covered_ids
    answer.feedback = hint.as_json()


def interview_rescore(*, attempt: Attempt) -> Attempt:
    """Recompute a finished interview's hints and score with today's scorer (on request: never automatic)."""
    with transaction.atomic():
        attempt = _lock(attempt)
        if attempt.status != Status.FINISHED:
            raise PracticeError("Only a finished interview can be scored again.")
        items = list(
            attempt.items.select_related("answer", "question").prefetch_related(
                "question__key_points", "question__choices"
            )
        )
        scoring.prepare([item.answer.text for item in items if hasattr(item, "answer")])
        for item in items:
            answer = getattr(item, "answer", None)
            if answer is not None:
                _store_hint(answer, item.question)
                answer.save(update_fields=["covered_points", "coverage", "feedback"])
        _store_interview_score(attempt)
        attempt.save(update_fields=["score"])
    return attempt


def _store_interview_score(attempt: Attempt) -> None:
    answers = {a.item_id: a for a in Answer.objects.filter(item__attempt=attempt)}
    total = sum(question_score(a.coverage, a.self_rating) for a in answers.values())
    attempt.score = round(100 * total / attempt.question_count, 2)


def _interview_finish(attempt: Attempt, now: datetime, *, end_reason: str) -> None:
    items = list(
        attempt.items.select_related("answer", "question").prefetch_related("question__key_points", "question__choices")
    )
    answered = 0
    scoring.prepare([item.answer.text for item in items if hasattr(item, "answer")])
    for item in items:
        answer = getattr(item, "answer", None)
        if answer is None:
            continue
        answered += bool(answer.text.strip())
        _store_hint(answer, item.question)
        answer.save(update_fields=["covered_points", "coverage", "feedback"])
    attempt.finish(now, score=0, answered=answered, end_reason=end_reason)
    _store_interview_score(attempt)
    attempt.save(update_fields=FINISH_FIELDS)
    stats.record_interview_finished(attempt)


@transaction.atomic
def interview_finish(*, attempt: Attempt, now: datetime) -> Attempt:
    """End the interview with what was saved: early by the candidate, or by the server after the deadline."""
    attempt = _lock(attempt)
    if not _close_if_due(attempt, now) and attempt.is_active:
        end_reason = EndReason.CLOCK if attempt.is_past_deadline(now) else EndReason.CANDIDATE
        _interview_finish(attempt, now, end_reason=end_reason)
    return attempt


@transaction.atomic
def interview_rate(*, attempt: Attempt, position: int, rating: int, now: datetime) -> Attempt:
    """Store the candidate's self-rating of one answer and recompute the interview's score."""
    attempt = _lock(attempt)
    if attempt.status != Status.FINISHED:
        raise PracticeError("Rate your answers once the interview has ended.")
    item = attempt.items.filter(position=position).first()
    if item is None:
        raise PracticeError("That question is not part of this interview.")
    answer, _ = Answer.objects.get_or_create(item=item, defaults={"text": "", "answered_at": now, "coverage": 0.0})
    first_rating = answer.self_rating is None
    answer.self_rating = rating
    answer.save(update_fields=["self_rating"])
    if first_rating:  # the first self-rating of an answer feeds the review schedule; later changes do not
        reviews.card_review(
            user=attempt.user,
            question=item.question_id,
            rating=reviews.rating_for_self_rating(rating),
            now=now,
            source=ReviewSource.INTERVIEW,
            check_published=False,
        )
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
            closed += _close_if_due(attempt, now)
    return closed


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
