"""With JavaScript a quiz answer is one request; reload, Back and a double click behave as without it."""

import pytest
from playwright.sync_api import expect

from practice.models import Answer, Attempt, Status
from questions.models import Question
from tests.factories import UserFactory, quiz_of

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def _quiz(username: str, mode: str) -> Attempt:
    user = UserFactory(username=username, password=PASSWORD)
    ids = list(Question.objects.filter(is_published=True).values_list("id", flat=True)[:3])
    return quiz_of(user, ids, feedback_mode=mode)


def test_each_answer_is_one_request_and_the_address_is_the_page_shown(page, base):
    attempt = _quiz("lee", "end")
    log_in(page, base, "lee")
    page.goto(base + "/")
    page.goto(base + f"/quizzes/{attempt.pk}/")
    requests = []
    # What reaches the app: documents and scripts' requests (not static files or the favicon).
    page.on(
        "request",
        lambda request: (
            request.resource_type in ("document", "fetch", "xhr") and requests.append((request.method, request.url))
        ),
    )
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    expect(page.get_by_text("1 answered")).to_be_visible()
    assert requests == [("POST", base + f"/quizzes/{attempt.pk}/")]  # no redirect, no second GET
    assert page.url == base + f"/quizzes/{attempt.pk}/"
    assert page.title() == "Quiz: question 2 of 3 · InterviewPrep"
    # The focus moves to the new question, for keyboard and screen-reader users.
    expect(page.locator("#quiz-position")).to_be_focused()
    # A reload shows the same question, not the first one again.
    page.reload()
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    # Back leaves the quiz for the page before it: the answers replaced the quiz's entry, they added none.
    page.go_back()
    expect(page).to_have_url(base + "/")


def test_a_double_click_stores_one_answer_and_feedback_has_its_own_address(page, base):
    attempt = _quiz("max", "each")
    log_in(page, base, "max")
    page.goto(base + f"/quizzes/{attempt.pk}/")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Submit answer").dblclick()
    expect(
        page.get_by_role("status")
        .filter(has_text="Correct")
        .or_(page.get_by_role("status").filter(has_text="Not quite"))
    ).to_be_visible()
    assert page.url == base + f"/quizzes/{attempt.pk}/?feedback=1"
    assert Answer.objects.filter(item__attempt=attempt).count() == 1
    expect(page.get_by_role("link", name="Next question")).to_be_focused()
    page.reload()
    expect(page.get_by_role("link", name="Next question")).to_be_visible()


def test_the_last_answer_goes_to_the_result(page, base):
    attempt = _quiz("ray", "end")
    log_in(page, base, "ray")
    page.goto(base + f"/quizzes/{attempt.pk}/")
    for number in range(1, 4):
        expect(page.get_by_text(f"Question {number} of 3")).to_be_visible()
        page.get_by_role("radio").first.check()
        page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Quiz result")).to_be_visible()
    assert page.url == base + f"/quizzes/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and attempt.answered_count == 3
