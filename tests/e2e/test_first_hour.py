"""A newcomer's first hour, in both colour schemes and at desktop and phone widths, with axe on every page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from practice import services
from practice.models import Attempt
from tests.factories import UserFactory

from .conftest import PASSWORD, check_accessibility, log_in

pytestmark = pytest.mark.e2e

SCHEMES = ["light", "dark"]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


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
    for table in page.locator(".table-responsive").all():
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "a table scrolls sideways on a phone"
    context.close()
