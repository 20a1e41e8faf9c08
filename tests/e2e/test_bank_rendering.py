"""The real bank's answers in a browser, light and dark: the VAE's list and ELBO (question 70), the z-score worked
example (99) and a code answer (135). `DOCS_SCREENSHOTS=1` writes the pictures into docs/ (issue 16)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("pk", "name", "check"), [(70, "vae", "list"), (99, "z-score", "maths"), (135, "code", "code")]
)
def test_bank_answers_render_as_written(page, base, scheme, pk, name, check):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(base + f"/questions/{pk}/")
    page.get_by_text("Show answer").click()
    prose = page.locator(".prose").first
    if check != "code":
        expect(prose.locator("math").first).to_be_visible()
    html = prose.inner_html()
    assert "$" not in prose.inner_text() and "<p>- " not in html and "\n- " not in prose.inner_text()
    if check == "list":
        assert prose.locator("ul > li").count() >= 3
    if check == "code":
        expect(prose.locator("pre.highlight").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000
    check_accessibility(page, f"question {pk} ({scheme})")
    if os.environ.get("DOCS_SCREENSHOTS"):
        prose.screenshot(path=str(DOCS / f"answer-{name}-{scheme}.png"))
