"""Rendered answers in a browser (issue 16): MathML that follows light and dark and scrolls on a phone instead
of widening the page, highlighted code that keeps its lines, and the admin's live preview under the strict CSP."""

import pytest
from playwright.sync_api import expect

from tests.factories import QuestionFactory, UserFactory

from .conftest import PASSWORD, check_accessibility

pytestmark = pytest.mark.e2e

ELBO = r"$\log p(x) \geq \mathbb{E}_q[\log p(x \mid z)] - \mathrm{KL}(q(z \mid x) \parallel p(z))$"
WIDE = " + ".join(f"\\frac{{\\partial L}}{{\\partial w_{{{n}}}}}" for n in range(1, 25))
ANSWER = f"""The softmax of the logits is $\\sigma(z)_i = \\frac{{e^{{z_i}}}}{{\\sum_j e^{{z_j}}}}$, and:

$$
{WIDE}
$$

How it works:
- first, the scores;
- then, the normalisation, with the ELBO inline: {ELBO}.

```python
import torch
probs = torch.softmax(logits, dim=-1)
```
"""


@pytest.fixture
def question(transactional_db):
    return QuestionFactory(prompt="What does the softmax compute?", answer=ANSWER)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_maths_and_code_render_in_light_and_dark_on_a_phone(page, live_server, question, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + f"/questions/{question.pk}/")
    page.get_by_text("Show answer").click()
    expect(page.locator(".prose math").first).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.bsTheme") == scheme
    # MathML takes the colour of the text around it.
    colours = page.evaluate(
        "[...document.querySelectorAll('.prose math')].map(m => [getComputedStyle(m).color,"
        " getComputedStyle(m.closest('p, li, .math-display').parentElement).color])"
    )
    assert colours and all(mine == around for mine, around in colours), colours
    # The wide formulas scroll inside their boxes (display maths, and the ELBO inline in a list item on a phone);
    # the page itself does not scroll sideways.
    box = page.locator(".math-display").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth && getComputedStyle(b).overflowX === 'auto'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    elbo = page.locator(".prose li math").last
    assert elbo.evaluate("m => m.scrollWidth > m.clientWidth && getComputedStyle(m).overflowX === 'auto'")
    # static/js/maths.js makes that one, and only that one, focusable, so that a keyboard can scroll it.
    assert page.locator('.prose math[display="inline"][tabindex="0"]').count() == 1
    assert page.locator(".prose ul > li").count() == 2
    code = page.locator("pre.highlight code")
    assert code.evaluate("c => getComputedStyle(c).whiteSpace") == "pre-wrap"
    assert code.inner_text().count("\n") >= 1  # the two lines stay two lines
    check_accessibility(page, f"question with maths and code ({scheme})")


def test_the_admin_preview_renders_the_form_as_it_is_edited(page, live_server, question):
    UserFactory(username="editor", password=PASSWORD, is_staff=True, is_superuser=True)
    errors = []
    page.on(
        "console",
        # A failed load is checked below by its URL (the admin has no icon: Chromium asks for /favicon.ico).
        lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None,
    )
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/admin/questions/question/{question.pk}/change/")
    page.get_by_role("button", name="Preview the answer and choices").click()
    pane = page.locator("#render-preview")
    expect(pane.locator("math").first).to_be_visible()
    expect(pane.get_by_text("✓ Correct:")).to_be_visible()
    expect(pane.get_by_text("✗ Wrong:")).to_have_count(3)
    page.get_by_role("textbox", name="Answer:").fill("Steps:\n2. two\n3. three")
    expect(pane.get_by_text("a paragraph holds the list marker of '2. two'")).to_be_visible()
    assert not errors, errors  # no CSP violation, no failed request
