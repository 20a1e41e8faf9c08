"""A newcomer's first hour, in both colour schemes and at desktop and phone widths, with axe on every page."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from practice import services
from practice.models import Attempt
from tests.factories import UserFactory

from .conftest import PASSWORD, SCREENSHOTS, check_accessibility, log_in

pytestmark = pytest.mark.e2e

SCHEMES = ["light", "dark"]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The live server's sign-ups are committed to the shared cache (a table no flush empties): clear them, so
    the walk's sign-ups never push a later test over the hourly sign-up limit."""
    yield
    cache.clear()


@pytest.fixture(params=[(s, w) for s in SCHEMES for w in SIZES], ids=lambda p: f"{p[0]}-{p[1]}")
def look(request, browser):
    scheme, size = request.param
    context = browser.new_context(color_scheme=scheme, viewport=SIZES[size])
    yield scheme, size, context.new_page()
    context.close()


def no_sideways_scroll(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{name}: the page is {width}px wide in a {viewport}px window"


def test_every_page_passes_axe_in_both_schemes_and_at_both_widths(look, base):
    scheme, size, page = look
    user = UserFactory(username="ines", password=PASSWORD, display_name="Ines " + "Verylongname" * 6)
    call_command("seed_demo_history", "ines", "--attempts", "12", "--seed", "3", verbosity=0)
    from django.utils import timezone

    quiz = services.quiz_start(
        user=user, tags=[], difficulty="any", question_count=5, feedback_mode="each", now=timezone.now()
    )
    finished = Attempt.objects.filter(user=user, kind="quiz", status="finished").first()
    pages = [("landing", "/"), ("login", "/accounts/login/?next=/quizzes/new/"), ("sign-up", "/accounts/signup/")]
    pages += [("question list", "/questions/"), ("question detail", "/questions/3/")]
    for name, url in pages:
        page.goto(base + url)
        check_accessibility(page, f"{name} ({scheme}, {size})")
        no_sideways_scroll(page, name)
    log_in(page, base, "ines")
    member_pages = [
        ("dashboard", "/"),
        ("quiz start", "/quizzes/new/"),
        ("quiz question", f"/quizzes/{quiz.pk}/"),
        ("quiz result", f"/quizzes/{finished.pk}/result/"),
        ("interview start", "/interviews/new/"),
        ("progress", "/progress/"),
        ("profile", "/accounts/profile/"),
    ]
    for name, url in member_pages:
        page.goto(base + url)
        check_accessibility(page, f"{name} ({scheme}, {size})")
        no_sideways_scroll(page, name)
    # The long name is cut with an ellipsis in the navbar, whole in its title.
    summary = page.locator(".user-menu summary")
    assert summary.get_attribute("title").endswith("Verylongname")
    if size == "desktop":  # on a phone it sits in the collapsed menu
        box = summary.bounding_box()
        assert box["width"] <= 16 * 16, f"the name takes {box['width']}px of the navbar"


def test_without_script_the_user_menu_and_the_phone_menu_open(browser, base):
    UserFactory(username="jo", password=PASSWORD)
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("jo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_role("link", name="Progress", exact=True)).to_be_visible()  # the phone menu's links
    page.locator(".user-menu summary").click()
    expect(page.get_by_role("link", name="Profile")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    context.close()


def test_on_a_phone_the_history_rows_are_cards_with_their_actions_in_view(browser, base):
    UserFactory(username="kai", password=PASSWORD)
    call_command("seed_demo_history", "kai", "--attempts", "6", "--seed", "4", verbosity=0)
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    log_in(page, base, "kai")
    page.goto(base + "/progress/")
    for name in ("Result", "Practise this topic"):
        link = page.get_by_role("link", name=name).first if name == "Result" else page.get_by_text(name).first
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{name} is out of view at {box}"
    # Every table as it shows when opened (the chart's data table is in a closed <details>).
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    for table in page.locator(".table-responsive").all():
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), (
            "a table scrolls sideways on a phone: "
            + table.evaluate("t => t.scrollWidth + ' > ' + t.clientWidth + ': ' + t.innerText.slice(0, 300)")
        )
    context.close()


def answer_current_question(page) -> None:
    page.locator("#quiz-form .choice-option label").first.click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("Correct|Not quite"))).to_be_visible()


def test_a_newcomers_first_hour(look, base):
    """Land, answer the sample question, sign up (a weak password first), take the diagnostic, a quiz of 7,
    and open the progress page: axe finds nothing serious at any step, in either scheme or width."""
    scheme, size, page = look

    def check(name: str) -> None:
        check_accessibility(page, f"{name} ({scheme}, {size})")
        no_sideways_scroll(page, name)

    page.goto(base + "/")
    sample = page.get_by_role("group").filter(has=page.get_by_role("radio"))
    check("landing")
    sample.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("Correct|Not quite"))).to_be_visible()
    check("sample feedback")

    page.get_by_role("link", name="Sign up free").click()
    page.get_by_label("Username").fill("nova")
    page.get_by_label("Email").fill("nova@example.com")
    page.get_by_label("Password", exact=True).fill("1234")
    page.get_by_label("Password confirmation").fill("12345")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("nova")
    expect(page.get_by_label("Email")).to_have_value("nova@example.com")
    check("sign-up errors")
    page.get_by_label("Password", exact=True).fill("a-long-unusual-passphrase-42")
    page.get_by_label("Password confirmation").fill("a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome to InterviewPrep, nova")).to_be_visible()
    expect(page.get_by_text("Welcome", exact=False)).to_have_count(1)
    check("first-run dashboard")

    page.get_by_role("button", name="Take the 5-question diagnostic").click()
    for number in range(1, 6):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        if number == 1:
            check("diagnostic question")
        answer_current_question(page)
        page.get_by_role("link", name=re.compile("Next question|See your results")).click()
    expect(page.get_by_role("heading", name="Quiz result")).to_be_visible()
    check("diagnostic result")
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Practise these topics first")).to_be_visible()
    check("dashboard after the diagnostic")

    page.goto(base + "/quizzes/new/")
    page.get_by_label("Number of questions").fill("7")
    page.get_by_role("button", name="Start quiz", exact=True).click()
    for number in range(1, 8):
        expect(page.get_by_text(f"Question {number} of 7")).to_be_visible()
        answer_current_question(page)
        page.get_by_role("link", name=re.compile("Next question|See your results")).click()
    expect(page.get_by_text(re.compile(r"\d+ / 7"))).to_be_visible()
    check("quiz result")

    page.goto(base + "/progress/")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('score-chart')")
    labels = page.evaluate("() => Chart.getChart('score-chart').scales.x.ticks.map(t => t.label)")
    assert len(labels) == 1, f"two attempts on one day: one tick, not {labels}"
    check("progress")
    if size == "desktop":
        shoot_docs(page, scheme)


def shoot_docs(page, scheme: str) -> None:
    """The README's screenshots (light, desktop) are refreshed by this walk: screenshots/docs-*.png."""
    if scheme != "light":
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "docs-progress.png"), full_page=True)
    page.goto(page.url.split("/progress/")[0] + "/")
    page.screenshot(path=str(SCREENSHOTS / "docs-dashboard.png"))
