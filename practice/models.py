from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import FeedbackMode
from questions.models import Choice, Question, Tag

# A save that the browser sent before the deadline may arrive a little after it.
INTERVIEW_GRACE = timedelta(seconds=15)


class Kind(models.TextChoices):
    QUIZ = "quiz", "Quiz"
    INTERVIEW = "interview", "Mock interview"


class Status(models.TextChoices):
    ACTIVE = "active", "In progress"
    FINISHED = "finished", "Finished"
    ABANDONED = "abandoned", "Abandoned"


class EndReason(models.TextChoices):
    """How an interview ended, for the review's label."""

    CANDIDATE = "candidate", "Finished by you before the time was up"
    CLOCK = "clock", "Ended by the clock at 00:00"
    SERVER = "server", "Closed by the server after the deadline"


class DifficultyMix(models.TextChoices):
    ANY = "any", "Any"
    BASIC = "basic", "Basic"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    PROGRESSIVE = "progressive", "Progressive (easier first)"


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> "AttemptQuerySet":
        return self.filter(user=user)

    def quizzes(self) -> "AttemptQuerySet":
        return self.filter(kind=Kind.QUIZ)

    def interviews(self) -> "AttemptQuerySet":
        return self.filter(kind=Kind.INTERVIEW)

    def active(self) -> "AttemptQuerySet":
        return self.filter(status=Status.ACTIVE)

    def finished(self) -> "AttemptQuerySet":
        return self.filter(status=Status.FINISHED)

    def expired(self, now: datetime) -> "AttemptQuerySet":
        """Active interviews whose deadline and grace period have both passed: the rule of Attempt.is_due."""
        return self.interviews().active().filter(deadline__lt=now - INTERVIEW_GRACE)


class Attempt(models.Model):
    """One quiz or mock interview of one candidate. The score is stored when it ends."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", help_text="Topics chosen; none means all.")
    difficulty = models.CharField(max_length=12, choices=DifficultyMix.choices, default=DifficultyMix.ANY)
    feedback_mode = models.CharField(max_length=8, choices=FeedbackMode.choices, blank=True)
    question_count = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True, help_text="Interviews only: fixed by the server at start.")
    finished_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=10, choices=EndReason.choices, blank=True, help_text="Interviews: who or what ended it."
    )
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Questions answered (non-empty), stored when the attempt ends."
    )
    score = models.FloatField(null=True, blank=True, help_text="0 to 100, stored when the attempt ends.")

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # History table and dashboard: a user's attempts, newest first, optionally by kind.
            models.Index(fields=["user", "-started_at"], name="practice_attempt_user_started"),
            # Progress chart and streaks: a user's finished attempts in time order.
            models.Index(fields=["user", "status", "finished_at"], name="practice_attempt_user_finished"),
            # close_expired_interviews: active interviews past their deadline.
            models.Index(fields=["status", "deadline"], name="practice_attempt_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="practice_attempt_score_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.INTERVIEW) | Q(deadline__isnull=False), name="practice_interview_has_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_quiz(self) -> bool:
        return self.kind == Kind.QUIZ

    @property
    def is_finished(self) -> bool:
        return self.status == Status.FINISHED

    @property
    def timed_out(self) -> bool:
        """An interview ended by its deadline rather than by the candidate."""
        return self.end_reason in (EndReason.CLOCK, EndReason.SERVER)

    @property
    def topics_label(self) -> str:
        """The chosen topics by name (prefetch `tags` when listing attempts); none chosen means all."""
        return ", ".join(tag.name for tag in self.tags.all()) or "All topics"

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def is_past_deadline(self, now: datetime) -> bool:
        return self.deadline is not None and now > self.deadline

    def is_due(self, now: datetime) -> bool:
        """The deadline rule, in one place: a running interview whose deadline and grace period have passed
        accepts no more edits and is to be closed by the server (AttemptQuerySet.expired is its query form)."""
        return self.is_active and self.deadline is not None and now > self.deadline + INTERVIEW_GRACE

    def accepts_saves(self, now: datetime) -> bool:
        """Interview saves are accepted until the deadline plus a short grace for saves in flight."""
        return self.is_active and self.deadline is not None and not self.is_due(now)

    def finish(
        self, now: datetime, *, score: float, answered: int, correct_count: int | None = None, end_reason: str = ""
    ):
        self.status = Status.FINISHED
        self.answered_count = answered
        # Ended by the time (the page's clock at 00:00, or the server after it): it ran to the deadline.
        ended_by_time = end_reason in (EndReason.CLOCK, EndReason.SERVER)
        self.finished_at = self.deadline if ended_by_time and self.deadline else now
        self.score = round(score, 2)
        self.correct_count = correct_count
        self.end_reason = end_reason

    def abandon(self, now: datetime) -> None:
        self.status = Status.ABANDONED
        self.finished_at = now


class AttemptItem(models.Model):
    """A question of an attempt, in its position; for quizzes, with the shuffled order of its choices."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    # PROTECT: a question that candidates have answered cannot be deleted, only unpublished.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list, blank=True, help_text="Choice ids in the order shown.")

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="practice_item_position_unique"),
            models.UniqueConstraint(fields=["attempt", "question"], name="practice_item_question_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"


class SelfRating(models.IntegerChoices):
    NONE = 0, "0 · No answer: I could not answer or went off topic"
    WEAK = 1, "1 · Weak: a few relevant words, the main idea missing or wrong"
    PARTIAL = 2, "2 · Partial: the main idea, but gaps or an error"
    GOOD = 3, "3 · Good: correct and clear, a detail or two missing"
    EXCELLENT = 4, "4 · Excellent: correct, complete, with examples or trade-offs"


class Answer(models.Model):
    """The candidate's answer to one item: a choice (quiz) or free text (interview).

    For quizzes the choice's text and correctness are copied at answer time, so a later edit of the
    question never changes a finished attempt's score or review.
    """

    # One-to-one: the database refuses a second answer to the same item, so a double submit, a replay
    # or two racing requests can never count twice.
    item = models.OneToOneField(AttemptItem, on_delete=models.CASCADE, related_name="answer")
    # Quiz
    choice = models.ForeignKey(Choice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    choice_text = models.CharField(max_length=300, blank=True)
    is_correct = models.BooleanField(null=True)
    # Interview
    text = models.TextField(blank=True)
    revision = models.PositiveBigIntegerField(
        default=0,
        help_text="Interviews: a counter the server raises by one on every stored save. A save names the revision "
        "it was based on and is refused if another one was stored since (compare-and-set).",
    )
    saved_by = models.CharField(
        max_length=40,
        blank=True,
        help_text="Interviews: the browser tab of the latest save (its own saves never clash).",
    )
    coverage = models.FloatField(null=True, blank=True, help_text="Share of key points covered, 0 to 1.")
    covered_points = models.JSONField(default=list, blank=True, help_text="Ids of the key points covered.")
    self_rating = models.PositiveSmallIntegerField(choices=SelfRating.choices, null=True, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                condition=Q(self_rating__isnull=True) | Q(self_rating__lte=4), name="practice_answer_rating_range"
            ),
            models.CheckConstraint(
                condition=Q(coverage__isnull=True) | Q(coverage__gte=0, coverage__lte=1),
                name="practice_answer_coverage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to {self.item}"


def question_score(coverage: float | None, rating: int | None) -> float:
    """0 to 1. Automatic coverage and the self-rating count half each; until rated, coverage alone."""
    coverage = coverage or 0.0
    if rating is None:
        return coverage
    return 0.5 * coverage + 0.5 * rating / 4


class QuestionStat(models.Model):
    """Stored aggregate: one candidate's practice of one question, all attempts together.

    The mastery table reads these rows (at most one per question) instead of every item and answer of the
    candidate's history, so it costs the same after 20 attempts or 20,000. practice.stats keeps them current
    as attempts start, quiz answers arrive and interviews end; practice.stats.rebuild recomputes them.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    quiz_answered = models.PositiveIntegerField(default=0)
    quiz_correct = models.PositiveIntegerField(default=0)
    interview_items = models.PositiveIntegerField(default=0, help_text="Items of finished interviews.")
    coverage_sum = models.FloatField(default=0.0, help_text="Sum of their key-point coverage, 0 to 1 each.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="practice_questionstat_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.question_id}"
