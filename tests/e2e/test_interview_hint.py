"""The review's automatic hint in the browser: key points with their status and sentence, misconception flags."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from practice import services
from questions.models import Question
from tests.factories import UserFactory

from .conftest import PASSWORD, check_accessibility, log_in

pytestmark = pytest.mark.e2e


def test_review_shows_the_evidence_of_the_hint(page, base):
    user = UserFactory(username="hana", password=PASSWORD)
    dropout = Question.objects.get(pk=47)
    attempt = services.interview_start(
        user=user, tags=[], difficulty="any", question_count=1, minutes=10, now=timezone.now()
    )
    attempt.items.update(question=dropout)
    answer = (
        "Dropout zeroes random units with probability p on each training step. "
        "At test time you keep dropping the same fraction of units so that test conditions match training."
    )
    services.interview_save_answer(attempt=attempt, position=1, text=answer, revision=0, now=timezone.now())
    services.interview_finish(attempt=attempt, now=timezone.now())

    log_in(page, base, "hana")
    page.goto(base + f"/interviews/{attempt.pk}/review/")
    expect(page.get_by_text("The automatic hint compares your answer with the model answer")).to_be_visible()
    evidence = page.locator(".key-point-evidence")
    expect(evidence.get_by_text("Covered").first).to_be_visible()
    expect(evidence.locator("mark").first).to_contain_text("Dropout zeroes random units")
    flag = page.get_by_role("note").filter(has_text="This looks like a common misconception")
    expect(flag).to_be_visible()
    expect(flag.locator("mark")).to_contain_text("same fraction of units")
    expect(flag).to_contain_text("Why it is wrong")
    expect(page.locator(".answer-text mark").first).to_be_visible()
    check_accessibility(page, "interview review with the hint")
