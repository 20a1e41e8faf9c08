import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Card, ReviewLog, Source

from .conftest import check_accessibility


def assert_no_serious_problems(page, name: str, context: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    section = page.locator(context).locator("xpath=ancestor::section[1]")
    section.evaluate("element => element.setAttribute('data-axe-scope', '1')")
    results = Axe().run(page, context="[data-axe-scope]")
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe found serious problems on {name}: {serious}"


pytestmark = pytest.mark.e2e


def test_new_candidate_takes_a_quiz_then_reviews_due_cards_by_keyboard(page, base):
    page.goto(base + "/accounts/signup/")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-unusual-passphrase-42")
    page.get_by_label("Password confirmation").fill("a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome to InterviewPrep, rosa")).to_be_visible()

    # One quiz, answered with the keyboard: every answer makes a review card.
    page.get_by_role("link", name="Quiz", exact=True).click()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("button", name="Start quiz", exact=True).click()
    # The shortcuts are the page's deferred script: keys pressed before it has run do nothing (as for a person).
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    page.wait_for_load_state()
    for number in range(1, 6):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        page.keyboard.press(str((number % 4) + 1))
        page.keyboard.press("Enter")
        expect(page.get_by_role("status").filter(has_text=re.compile("Correct|Not quite"))).to_be_visible()
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Quiz result")).to_be_visible()
    assert Card.objects.filter(user__username="rosa").count() == 5

    # Three days later every card is due: the dashboard's first action and the navigation say so.
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=True):
        page.goto(base + "/")
        review = page.get_by_role("link", name="Review 5 due questions")
        expect(review).to_be_visible()
        expect(page.get_by_role("navigation", name="Main").get_by_text("5 due")).to_be_visible()
        review.click()
        expect(page.get_by_role("heading", name="Review", exact=True)).to_be_visible()
        page.wait_for_load_state()
        page.evaluate("window.reviewPageMarker = 1")  # survives only if the page never reloads
        first = page.locator("#review-prompt").inner_text()
        expect(page.get_by_text("5 cards left today.")).to_be_visible()

        page.locator("#review-prompt").focus()
        page.keyboard.press(" ")
        expect(page.get_by_role("heading", name="Model answer")).to_be_visible()
        check_accessibility(page, "review queue")
        page.keyboard.press("3")  # Good
        expect(page.get_by_text("4 cards left today.")).to_be_visible()
        second = page.locator("#review-prompt").inner_text()
        assert second != first

        page.keyboard.press(" ")
        expect(page.get_by_role("heading", name="Model answer")).to_be_visible()
        page.keyboard.press("1")  # Again
        expect(page.get_by_text("3 cards left today.")).to_be_visible()  # Again: back in 10 minutes, not now
        assert page.evaluate("window.reviewPageMarker") == 1
        expect(page).to_have_url(base + "/review/")

        # The candidate's own state on the bank, the question page and the retention panel.
        page.goto(base + "/questions/?mine=wrong")
        expect(page.get_by_label("My questions")).to_have_value("wrong")
        expect(page.locator(".my-state").get_by_text("Wrong last time").first).to_be_visible()
        check_accessibility(page, "question list with personal state")
        page.locator("ol.list-group a.fw-semibold").first.click()
        expect(page.get_by_role("heading", name="Your review")).to_be_visible()
        page.get_by_role("button", name="Bookmark").click()
        expect(page.get_by_text("Bookmarked.")).to_be_visible()
        page.get_by_label("Your private note").fill("Revise **this** one.")
        page.get_by_role("button", name="Save note").click()
        expect(page.locator(".note-text strong")).to_have_text("this")
        check_accessibility(page, "question page with personal state")
        page.goto(base + "/progress/")
        expect(page.get_by_role("heading", name="Retention")).to_be_visible()
        expect(page.get_by_role("img", name=re.compile("Due in the next 14 days"))).to_be_visible()
        check_accessibility(page, "retention panel")
        page.emulate_media(color_scheme="dark")
        page.reload()
        # Only this panel: older parts of the progress page have their own dark-mode contrast issues.
        assert_no_serious_problems(page, "retention panel, dark", context="#retention-title")
        page.goto(base + "/review/")
        page.keyboard.press(" ")
        expect(page.get_by_role("heading", name="Model answer")).to_be_visible()
        check_accessibility(page, "review queue, dark")

    ratings = list(
        ReviewLog.objects.filter(user__username="rosa", source=Source.REVIEW)
        .order_by("id")
        .values_list("rating", flat=True)
    )
    assert ratings == [3, 1]
