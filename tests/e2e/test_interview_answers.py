"""Issue 13 in the browser: no typed word is lost between the answer box and the review."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from practice import services
from practice.models import Answer, EndReason
from tests.factories import UserFactory

from .conftest import PASSWORD, check_accessibility, log_in

pytestmark = pytest.mark.e2e


def start_interview(username: str, *, minutes: int = 10):
    user = UserFactory(username=username, password=PASSWORD)
    attempt = services.interview_start(
        user=user, tags=[], difficulty="any", question_count=3, minutes=minutes, now=timezone.now()
    )
    return user, attempt


def stored_text(attempt, position: int = 1) -> str | None:
    answer = Answer.objects.filter(item__attempt=attempt, item__position=position).first()
    return answer.text if answer else None


def finish(page) -> None:
    page.get_by_text("Finish interview").click()
    page.get_by_role("button", name="Yes, finish the interview").click()


def test_two_tabs_the_older_is_refused_keeps_its_text_and_may_overwrite(page, base):
    _user, attempt = start_interview("tara")
    log_in(page, base, "tara")
    url = base + f"/interviews/{attempt.pk}/"
    page.goto(url)  # the older tab
    newer = page.context.new_page()
    newer.goto(url)

    newer.get_by_label("Your answer to question 1").fill("Typed in the newer tab.")
    expect(newer.locator("#state-1")).to_have_text("Saved")

    box = page.get_by_label("Your answer to question 1")
    box.fill("Typed in the older tab.")
    conflict = page.locator("#conflict-1")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("This answer was changed in another tab or device.")
    expect(page.locator("#newer-1")).to_have_text("Typed in the newer tab.")
    expect(box).to_have_value("Typed in the older tab.")  # nothing vanishes from the screen
    assert stored_text(attempt) == "Typed in the newer tab."
    check_accessibility(page, "interview with a conflict")

    # Finishing now waits for the choice instead of dropping one of the texts.
    page.get_by_text("Finish interview").click()
    page.get_by_role("button", name="Yes, finish the interview").click()
    expect(page).to_have_url(url)
    expect(box).to_be_focused()

    page.get_by_role("button", name="Keep my text instead (overwrite)").click()
    expect(page.locator("#state-1")).to_have_text("Saved")
    expect(conflict).to_be_hidden()
    assert stored_text(attempt) == "Typed in the older tab."

    # The newer tab is now the stale one: it is told too, and may load the text of the other.
    newer.get_by_label("Your answer to question 1").fill("Typed in the newer tab, again.")
    expect(newer.locator("#conflict-1")).to_be_visible()
    newer.get_by_role("link", name="Load the newer text").click()
    expect(newer.get_by_label("Your answer to question 1")).to_have_value("Typed in the older tab.")
    expect(newer.locator("#state-1")).to_have_text("Loaded the newer text.")
    assert stored_text(attempt) == "Typed in the older tab."


def test_finish_right_after_typing_keeps_the_last_words(page, base):
    _user, attempt = start_interview("uma")
    log_in(page, base, "uma")
    page.goto(base + f"/interviews/{attempt.pk}/")
    box = page.get_by_label("Your answer to question 1")
    box.fill("Gradients flow back through every layer")
    expect(page.locator("#state-1")).to_have_text("Saved")
    box.press("End")
    box.type(", by the chain rule.")  # then finish at once, before the autosave sends it
    finish(page)
    expect(page.get_by_role("heading", name="Interview review")).to_be_visible()
    # The answer of question 1 itself: a key point it covers would quote the sentence too.
    expect(page.locator("#q1 .answer-text")).to_have_text("Gradients flow back through every layer, by the chain rule.")
    expect(page.get_by_text("Finished by you before the time was up")).to_be_visible()
    assert stored_text(attempt) == "Gradients flow back through every layer, by the chain rule."

    # Back after finishing: never the live page from a cache, but the review.
    page.go_back()
    expect(page.get_by_role("heading", name="Interview review")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_count(0)


def test_the_page_submits_itself_at_zero_with_the_text_of_the_last_second(page, base):
    _user, attempt = start_interview("vic", minutes=5)
    log_in(page, base, "vic")
    page.clock.install()
    page.goto(base + f"/interviews/{attempt.pk}/")
    timer = page.get_by_role("timer")
    warning = page.locator("#timer-warning")
    # A five-minute interview: no "five minutes left" from the first second, and not red from the start.
    expect(timer).to_have_text(re.compile(r"^0[45]:\d\d$"))
    expect(warning).to_be_hidden()
    expect(timer).not_to_have_class(re.compile("text-danger-emphasis|text-warning-emphasis"))
    left = (attempt.deadline - timezone.now()).total_seconds()
    page.clock.run_for(int((left - 50) * 1000))
    expect(warning).to_have_text("One minute left.")
    expect(timer).to_have_class(re.compile("text-danger-emphasis"))
    page.clock.run_for(48_500)  # 1.5 seconds left by the page's clock
    with time_machine.travel(attempt.deadline - timedelta(seconds=1), tick=True):
        page.get_by_label("Your answer to question 2").fill("Dropout, typed in the last second.")
        page.clock.run_for(2_000)
        expect(page.get_by_role("heading", name="Interview review")).to_be_visible()
        # The answer of question 2 itself: a key point it covers quotes the sentence too, as its evidence.
        expect(page.locator("#q2 .answer-text")).to_have_text("Dropout, typed in the last second.")
        expect(page.get_by_text("Ended by the clock at 00:00")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.end_reason == EndReason.CLOCK and stored_text(attempt, 2) == "Dropout, typed in the last second."


def test_signed_out_autosave_says_so_stops_and_resumes_after_signing_in(page, base):
    _user, attempt = start_interview("wes")
    log_in(page, base, "wes")
    page.clock.install()
    page.goto(base + f"/interviews/{attempt.pk}/")
    saves = []
    page.on("request", lambda request: saves.append(request) if request.url.endswith("/save/") else None)
    page.context.clear_cookies()  # the session expired
    box = page.get_by_label("Your answer to question 1")
    box.fill("Words typed after the session expired.")
    page.clock.run_for(1_500)
    expect(page.locator("#state-1")).to_have_text(
        "You were signed out: sign in again in another tab; your text is kept here."
    )
    sent = len(saves)
    page.clock.run_for(120_000)  # two minutes later: no retry loop
    assert len(saves) == sent
    expect(box).to_have_value("Words typed after the session expired.")
    kept = page.evaluate(f"window.localStorage.getItem('interviewprep:interview:{attempt.pk}:1')")
    assert "Words typed after the session expired." in kept
    assert stored_text(attempt) is None

    other = page.context.new_page()
    log_in(other, base, "wes")
    other.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # back to the first tab
    expect(page.locator("#state-1")).to_have_text("Saved")
    assert stored_text(attempt) == "Words typed after the session expired."
    kept = page.evaluate(f"window.localStorage.getItem('interviewprep:interview:{attempt.pk}:1')")
    assert kept is None  # confirmed by the server, so the browser's copy is dropped


def test_text_kept_by_the_browser_comes_back_after_a_crash(page, base):
    _user, attempt = start_interview("xia")
    log_in(page, base, "xia")
    url = base + f"/interviews/{attempt.pk}/"
    page.goto(url)
    page.route("**/save/", lambda route: route.abort())  # the network is gone, then the tab crashes
    page.get_by_label("Your answer to question 3").fill("Words the server never received.")
    expect(page.locator("#state-3")).to_contain_text("Not saved")
    page.goto(base + "/")  # its last-chance beacon is lost as well
    page.unroute("**/save/")
    page.goto(url)
    expect(page.get_by_label("Your answer to question 3")).to_have_value("Words the server never received.")
    expect(page.locator("#state-3")).to_have_text("Saved")
    assert stored_text(attempt, 3) == "Words the server never received."


def test_a_browser_copy_older_than_the_stored_answer_asks_which_to_keep(page, base):
    _user, attempt = start_interview("yan")
    log_in(page, base, "yan")
    url = base + f"/interviews/{attempt.pk}/"
    page.goto(url)
    page.route("**/save/", lambda route: route.abort())
    page.get_by_label("Your answer to question 1").fill("Words kept by this browser.")
    expect(page.locator("#state-1")).to_contain_text("Not saved")
    page.goto(base + "/")
    page.unroute("**/save/")
    # Meanwhile another device saved this answer.
    services.interview_save_answer(
        attempt=attempt, position=1, text="Words from the phone.", revision=0, tab="phone", now=timezone.now()
    )
    page.goto(url)
    expect(page.get_by_label("Your answer to question 1")).to_have_value("Words kept by this browser.")
    expect(page.locator("#conflict-1")).to_be_visible()
    expect(page.locator("#newer-1")).to_have_text("Words from the phone.")
    assert stored_text(attempt) == "Words from the phone."


def test_text_typed_after_the_grace_period_is_shown_on_the_review(page, base):
    _user, attempt = start_interview("zoe", minutes=5)
    log_in(page, base, "zoe")
    page.goto(base + f"/interviews/{attempt.pk}/")
    # The server's clock is past the deadline and its grace period; this device's clock is behind.
    with time_machine.travel(attempt.deadline + timedelta(seconds=20), tick=True):
        page.get_by_label("Your answer to question 1").fill("Words typed too late.")
        expect(page.get_by_role("heading", name="Interview review")).to_be_visible()
        expect(page.get_by_text(re.compile("arrived after the interview had ended"))).to_be_visible()
        expect(page.get_by_text(re.compile("Words typed too late."))).to_be_visible()
        expect(page.get_by_text("Closed by the server after the deadline")).to_be_visible()
    assert stored_text(attempt) is None
