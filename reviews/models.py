"""Each candidate's own state of every question: a review card on the FSRS schedule, its log, a bookmark and note.

The FSRS state lives in plain columns (due, stability, difficulty, state, step) so that the queue, the counts and
the question list's filters are ordinary indexed queries; reviews.scheduling converts to and from fsrs.Card.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from questions.models import Question

NOTE_MAX_LENGTH = 5000


class CardState(models.IntegerChoices):
    # 1-3 are fsrs.State's own values; NEW is a card added by hand and never reviewed yet.
    NEW = 0, "New"
    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


class Rating(models.IntegerChoices):
    # fsrs.Rating's values.
    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class Source(models.TextChoices):
    REVIEW = "review", "Review queue"
    QUIZ = "quiz", "Quiz answer"
    INTERVIEW = "interview", "Interview self-rating"
    QUESTION = "question", "Question page"


class CardQuerySet(models.QuerySet):
    def for_user(self, user) -> "CardQuerySet":
        return self.filter(user=user)

    def due(self, *, now: datetime, day_end: datetime) -> "CardQuerySet":
        """Cards to review now: review cards due before the end of the candidate's day, learning steps due now.

        New cards are not included: the daily new-card limit decides how many of them join the queue.
        """
        return self.filter(due_q(now=now, day_end=day_end))


def due_q(*, now: datetime, day_end: datetime, prefix: str = "") -> Q:
    """The "due" condition, shared by the queue, the counts and the question list's filter."""
    return Q(**{f"{prefix}state": CardState.REVIEW, f"{prefix}due__lt": day_end}) | Q(
        **{f"{prefix}state__in": [CardState.LEARNING, CardState.RELEARNING], f"{prefix}due__lte": now}
    )


class Card(models.Model):
    """One candidate's schedule of one question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Learning or relearning step.")
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    last_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    reps = models.PositiveIntegerField(default=0, help_text="Reviews so far; a submitted form must name it.")
    lapses = models.PositiveIntegerField(default=0, help_text="Times a review card was forgotten (Again).")
    created_at = models.DateTimeField()
    new_studied_at = models.DateTimeField(
        null=True, blank=True, help_text="When a card added as new was first studied: the daily new-card limit."
    )

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="reviews_card_user_question_unique"),
            models.CheckConstraint(condition=Q(state__in=CardState.values), name="reviews_card_state_valid"),
            models.CheckConstraint(
                condition=Q(last_rating__isnull=True) | Q(last_rating__in=Rating.values),
                name="reviews_card_last_rating_valid",
            ),
        ]
        indexes = [
            # The queue and the due counts: a candidate's cards by state, oldest due first.
            models.Index(fields=["user", "state", "due"], name="reviews_card_user_state_due"),
        ]

    def __str__(self) -> str:
        return f"card of {self.user_id} for question {self.question_id}"

    @property
    def is_new(self) -> bool:
        return self.state == CardState.NEW

    def is_due(self, *, now: datetime, day_end: datetime) -> bool:
        """due_q for one card in memory."""
        if self.state == CardState.REVIEW:
            return self.due < day_end
        return self.state in (CardState.LEARNING, CardState.RELEARNING) and self.due <= now


# A card's schedule, the columns read along with other rows (everything but whose card of which question it is).
CARD_STATE_FIELDS = tuple(f for f in Card._meta.concrete_fields if f.attname not in ("user_id", "question_id"))


class ReviewLog(models.Model):
    """One review of one card: the rating, when, where it came from and what it scheduled."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="logs")
    # Denormalised from the card: the retention panel and the CSV read a candidate's logs without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    state_before = models.PositiveSmallIntegerField(choices=CardState.choices)
    reviewed_at = models.DateTimeField()
    due_after = models.DateTimeField(help_text="When the card was scheduled next by this review.")
    stability_after = models.FloatField()
    difficulty_after = models.FloatField()

    class Meta:
        ordering = ["reviewed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="reviews_log_rating_valid"),
        ]
        indexes = [
            # Retention panel (reviews per day), new cards introduced today, the CSV: a candidate's logs by time.
            models.Index(fields=["user", "reviewed_at"], name="reviews_log_user_reviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on {self.card_id} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class QuestionNote(models.Model):
    """A candidate's bookmark (star) and private Markdown note on one question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_notes")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    starred = models.BooleanField(default=False)
    text = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="reviews_note_user_question_unique"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), NOTE_MAX_LENGTH), name="reviews_note_text_length"
            ),
        ]

    def __str__(self) -> str:
        return f"note of {self.user_id} on question {self.question_id}"
