import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

TIME_ZONE_CHOICES = [
    (tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz or tz == "UTC"
]


class FeedbackMode(models.TextChoices):
    EACH = "each", "After each question"
    END = "end", "At the end"


class User(AbstractUser):
    """A candidate or a staff editor. Preferences live here so a page never needs a second query for them."""

    display_name = models.CharField(max_length=80, blank=True, help_text="Shown instead of your username.")
    time_zone = models.CharField(
        max_length=64, default="UTC", choices=TIME_ZONE_CHOICES, help_text="Days and streaks are counted in this zone."
    )
    quiz_length = models.PositiveSmallIntegerField(
        "Default quiz length", default=10, help_text="Questions per quiz, 1 to 50."
    )
    quiz_feedback = models.CharField(
        "Default quiz feedback", max_length=8, choices=FeedbackMode.choices, default=FeedbackMode.EACH
    )
    interview_length = models.PositiveSmallIntegerField(
        "Default interview length", default=5, help_text="Questions per mock interview, 3 to 15."
    )
    interview_minutes_per_question = models.PositiveSmallIntegerField(
        "Default minutes per interview question", default=3, help_text="The time limit is this times the questions."
    )

    objects = UserManager()

    class Meta:
        constraints = [
            # Sign-up and profile forms check this too; the constraint stops races between two sign-ups.
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique", condition=~models.Q(email="")
            ),
            models.CheckConstraint(
                condition=models.Q(quiz_length__range=(1, 50)), name="accounts_user_quiz_length_range"
            ),
            models.CheckConstraint(
                condition=models.Q(interview_length__range=(3, 15)), name="accounts_user_interview_length_range"
            ),
            models.CheckConstraint(
                condition=models.Q(interview_minutes_per_question__range=(1, 24)),
                name="accounts_user_interview_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The candidate's time zone (UTC if the stored name is unknown): dates, days and streaks use it."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username
