import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from practice.models import Attempt, Status
from questions.models import Question
from tests.factories import UserFactory

from .conftest import PASSWORD, check_accessibility, log_in, shoot

pytestmark = pytest.mark.e2e


def test_visitor_reads_landing_signs_up_and_lands_on_dashboard(page, base):
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Walk into your ML interview ready.")).to_be_visible()
    check_accessibility(page, "landing")
    shoot(page, "landing")
    page.get_by_role("link", name="Sign up free").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    check_accessibility(page, "sign-up")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-unusual-passphrase-42")
    page.get_by_label("Password confirmation").fill("a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome to InterviewPrep, dana")).to_be_visible()
    expect(page).to_have_url(base + "/")
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    check_accessibility(page, "login")


def test_candidate_takes_a_quiz_with_the_keyboard_alone(page, base):
    UserFactory(username="kim", password=PASSWORD)
    log_in(page, base, "kim")
    page.get_by_role("link", name="Quiz", exact=True).focus()
    page.keyboard.press("Enter")
    start = page.get_by_role("button", name="Start quiz", exact=True)
    expect(start).to_be_visible()
    start.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    check_accessibility(page, "quiz question")
    shoot(page, "quiz-question")
    for number in range(1, 11):
        expect(page.get_by_text(f"Question {number} of 10")).to_be_visible()
        if number == 1:
            # Tab into the choices, move with the arrow keys, submit with Enter.
            page.get_by_role("radio").first.focus()
            page.keyboard.press("ArrowDown")
            expect(page.get_by_role("radio").nth(1)).to_be_checked()
        else:
            page.keyboard.press(str((number % 4) + 1))
            expect(page.get_by_role("radio").nth(number % 4)).to_be_checked()
        page.keyboard.press("Enter")
        feedback = page.get_by_role("status").filter(has_text=re.compile("Correct|Not quite"))
        expect(feedback).to_be_visible()
        if number == 1:
            check_accessibility(page, "quiz feedback")
        page.keyboard.press("Enter")  # "Next question" (or "See your results") has the focus
    expect(page.get_by_role("heading", name="Quiz result")).to_be_visible()
    # Anchored: a question's own text can hold "... / 10" too (a formula in a choice).
    expect(page.get_by_text(re.compile(r"^\d+ / 10$"))).to_be_visible()
    expect(page.get_by_role("heading", name="Every question")).to_be_visible()
    check_accessibility(page, "quiz result")
    shoot(page, "quiz-result")
    attempt = Attempt.objects.get(user__username="kim")
    assert attempt.status == Status.FINISHED and attempt.items.filter(answer__isnull=False).count() == 10


def test_mock_interview_survives_reload_and_expiry(page, base):
    UserFactory(username="lee", password=PASSWORD)
    log_in(page, base, "lee")
    page.get_by_role("link", name="Mock interview").click()
    page.get_by_role("button", name="Start interview", exact=True).click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^1[45]:\d\d$"))
    check_accessibility(page, "interview")
    shoot(page, "interview")
    box = page.get_by_label("Your answer to question 1")
    box.fill("Backpropagation applies the chain rule layer by layer to get each gradient.")
    expect(page.locator("#state-1")).to_have_text("Saved")
    page.reload()
    expect(page.get_by_label("Your answer to question 1")).to_have_value(re.compile("chain rule layer by layer"))
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    page.get_by_text("Finish interview").click()
    page.get_by_role("button", name="Yes, finish the interview").click()
    expect(page.get_by_role("heading", name="Interview review")).to_be_visible()
    expect(page.get_by_role("heading", name="Model answer").first).to_be_visible()
    check_accessibility(page, "review")
    shoot(page, "review")
    page.get_by_label(re.compile("^4 · Excellent")).first.check()
    page.get_by_role("button", name="Save rating for question 1").click()
    expect(page.get_by_text("Rating saved")).to_be_visible()

    # A second interview, left to run out: a short limit, then the server's clock moves past it.
    page.goto(base + "/interviews/new/")
    page.get_by_label("Number of questions").fill("3")
    page.get_by_label("Time limit in minutes").fill("5")
    page.get_by_role("button", name="Start interview", exact=True).click()
    page.get_by_label("Your answer to question 2").fill("Dropout randomly zeroes units while training.")
    expect(page.locator("#state-2")).to_have_text("Saved")
    second = Attempt.objects.filter(user__username="lee").order_by("-id").first()
    page.goto(base + "/")  # the candidate leaves
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        page.goto(base + f"/interviews/{second.pk}/")
        expect(page.get_by_role("heading", name="Interview review")).to_be_visible()
        expect(page.get_by_text("Closed by the server after the deadline")).to_be_visible()
        # The candidate's words; when the question drawn is about dropout they also show as a key point's evidence.
        expect(page.get_by_text("Dropout randomly zeroes units while training.").first).to_be_visible()
    second.refresh_from_db()
    assert second.status == Status.FINISHED and second.timed_out


def test_progress_shows_chart_and_attempts_and_exports_csv(page, base):
    from django.core.management import call_command

    UserFactory(username="max", password=PASSWORD)
    call_command("seed_demo_history", "max", "--attempts", "12", "--seed", "2", verbosity=0)
    log_in(page, base, "max")
    page.get_by_role("link", name="Progress", exact=True).click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.get_by_role("img", name="Chart of quiz and interview scores over time")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('score-chart'))")
    labels = page.evaluate("() => Chart.getChart('score-chart').scales.x.ticks.map(t => t.label)")
    assert labels and len(labels) == len(set(labels)), f"one tick per day, no repeated date: {labels}"
    history = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Duration"))
    expect(history.get_by_role("link", name="Result").first).to_be_visible()
    expect(history.get_by_role("cell", name="Quiz", exact=True).first).to_be_visible()
    check_accessibility(page, "progress")
    shoot(page, "progress")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download history (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig") as f:
        content = f.read()
    # Every cell is quoted (CSV injection: a separator inside a value stays in its cell).
    assert content.startswith('"row","attempt_id","kind"') and content.count('\n"attempt",') == 12


def test_staff_edits_a_prompt_and_the_public_page_shows_it(page, base):
    UserFactory(username="editor", password=PASSWORD, is_staff=True, is_superuser=True)
    question = Question.objects.get(pk=1)
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(base + f"/admin/questions/question/{question.pk}/change/")
    page.get_by_label("Prompt").fill("What is deep learning, in one sentence and then in detail?")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto(base + f"/questions/{question.pk}/")
    expect(
        page.get_by_role("heading", name="What is deep learning, in one sentence and then in detail?")
    ).to_be_visible()
    check_accessibility(page, "question detail")
    shoot(page, "question-detail")
    page.goto(base + "/questions/?tag=transformers")
    expect(page.get_by_role("heading", name="Attention and transformers questions")).to_be_visible()
    check_accessibility(page, "question list")
    shoot(page, "question-list")


def test_other_candidates_result_is_404_and_visitors_are_sent_to_log_in(page, base, browser):
    from practice import services

    owner = UserFactory(username="nora", password=PASSWORD)
    UserFactory(username="omar", password=PASSWORD)
    attempt = services.quiz_start(
        user=owner, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=timezone.now()
    )
    services.quiz_finish(attempt=attempt, now=timezone.now())
    log_in(page, base, "omar")
    response = page.goto(base + f"/quizzes/{attempt.pk}/result/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    visitor = browser.new_context().new_page()
    visitor.goto(base + f"/quizzes/{attempt.pk}/result/")
    expect(visitor.get_by_role("heading", name="Log in")).to_be_visible()
    assert "/accounts/login/?next=" in visitor.url
