"""The landing page's live sample question: one multiple-choice question a visitor can answer, no account needed."""

import random
from dataclasses import dataclass

from django.db.models import Prefetch

from questions.models import Choice, Difficulty, Question


@dataclass(frozen=True)
class Sample:
    question: Question
    choices: list[Choice]


def sample_question() -> Sample | None:
    """The first published intermediate question with choices (two queries), its choices in a fixed shuffle.

    The order is the same on every request, so the answer a visitor submits (a GET) matches what they saw.
    """
    question = (
        Question.objects.published()
        .filter(difficulty=Difficulty.INTERMEDIATE, choices__isnull=False)
        .order_by("pk")
        .only("pk", "prompt", "difficulty")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("pk")))
        .first()
    )
    if question is None:
        return None
    choices = list(question.choices.all())
    random.Random(question.pk).shuffle(choices)
    return Sample(question=question, choices=choices)
