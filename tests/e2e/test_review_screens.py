"""The review queue and the retention panel as a candidate sees them: light and dark, laptop and phone, no serious
axe finding. `DOCS_SCREENSHOTS=1` writes the pictures into docs/ (issue 18)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from questions.models import Question
from reviews import services
from reviews.models import Rating
from tests.factories import UserFactory

from .conftest import PASSWORD, check_accessibility, log_in

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)])
def test_review_queue_and_retention_panel(page, base, scheme, width):
    UserFactory(username="rita", password=PASSWORD)
    user = UserFactory._meta.model.objects.get(username="rita")
    now = timezone.now()
    for n, question in enumerate(Question.objects.published().order_by("pk")[:8]):
        rating = Rating.AGAIN if n % 3 == 0 else Rating.GOOD
        services.card_review(user=user, question=question, rating=rating, now=now - timedelta(days=4))
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base, "rita")
    page.goto(base + "/review/")
    expect(page.get_by_role("heading", name="Review", exact=True)).to_be_visible()
    expect(page.locator("#review-prompt")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_accessibility(page, f"review queue ({scheme}, {width} px)")
    label = f"{scheme}-{'phone' if width < 576 else 'laptop'}"
    if os.environ.get("DOCS_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / f"review-{label}.png"), full_page=True)
    page.goto(base + "/progress/")
    panel = page.locator("section[aria-labelledby='retention-title']")
    expect(panel).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_accessibility(page, f"progress with the retention panel ({scheme}, {width} px)")
    if os.environ.get("DOCS_SCREENSHOTS"):
        panel.screenshot(path=str(DOCS / f"retention-{label}.png"))
