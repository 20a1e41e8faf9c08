"""The renderer of model answers, choices and explanations (questions/markdown.py)."""

import re

import pytest

from questions.markdown import (
    formula_to_mathml,
    markdown_problems,
    render_markdown,
    render_markdown_inline,
)

VAE = "How it works:\n- The encoder maps $x$ to a mean and a variance.\n- The decoder maps $z$ back to $x$."


def test_a_list_right_after_a_line_is_a_list():
    # Question 70 (the VAE): Python-Markdown made this one paragraph with a literal " - ".
    html = render_markdown(VAE)
    assert html.startswith("<p>How it works:</p>\n<ul>\n<li>The encoder maps")
    assert html.count("<li>") == 2 and " - " not in html


def test_maths_becomes_mathml_on_the_server():
    html = render_markdown(r"The softmax $\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$ of the logits.")
    assert '<math display="inline">' in html and "<mfrac>" in html and "$" not in html
    display = render_markdown("The ELBO:\n\n$$\n\\log p(x) \\ge \\mathbb{E}_q[\\log p(x \\mid z)]\n$$\n")
    # Display maths sits in a box that scrolls sideways on a phone, and can take the keyboard focus to scroll.
    assert '<span class="math-display" tabindex="0"><math display="block">' in display


def test_a_dollar_sign_is_written_with_a_backslash():
    html = render_markdown(r"It costs \$5 or \$10 an hour.")
    assert html == "<p>It costs $5 or $10 an hour.</p>\n"


@pytest.mark.parametrize(
    "formula",
    [
        "a</math><script>alert(1)</script>",
        'x" onmouseover="alert(1)',
        r"\text{</math><img src=x onerror=alert(1)>}",
        r"\href{javascript:alert(1)}{x}",
        r"\style{background:url(https://evil.example/)}{x}",
        r"\color{red\" onclick=\"alert(1)}{x}",
        r"\textcolor{r\"><script>alert(1)</script>}{y}",
    ],
)
def test_a_formula_cannot_inject_markup(formula):
    for html in (render_markdown(f"Maths ${formula}$ here."), render_markdown(f"$$\n{formula}\n$$")):
        assert "<script" not in html and "<img" not in html
        assert not re.search(r"\s(on\w+|href|style|mathcolor)=", html), html
        assert "javascript:" not in html and "evil.example" not in html


def test_raw_html_is_escaped_and_placeholders_cannot_be_forged():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(1)"> \ue0000\ue001 $x$')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<math") == 1  # only the real formula


def test_fenced_code_is_highlighted_by_pygments():
    html = render_markdown("```python\nimport torch  # the library\nx = torch.zeros(3)\n```\n")
    assert html.startswith('<pre class="highlight"><code><span class="kn">import</span>')
    assert '<span class="c1"># the library</span>' in html
    plain = render_markdown("```\na < b\n```\n")
    assert plain == "<pre><code>a &lt; b\n</code></pre>\n"


def test_tables_align_with_classes_not_style_attributes():
    html = render_markdown("| name | value |\n| :-- | --: |\n| lr | 0.1 |\n")
    assert '<th class="text-start">name</th>' in html and '<td class="text-end">0.1</td>' in html
    assert "style=" not in html


def test_links_are_kept_safe():
    html = render_markdown("[paper](https://arxiv.org/abs/1312.6114) and [bad](javascript:alert(1))")
    assert 'href="https://arxiv.org/abs/1312.6114"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert 'href="javascript' not in html


def test_rendering_is_cached_by_the_text():
    render_markdown.cache_clear()
    first = render_markdown(VAE)
    assert render_markdown(VAE) is first
    assert render_markdown.cache_info().hits == 1


def test_inline_rendering_has_no_paragraph():
    html = render_markdown_inline(r"Scale by $\sqrt{d_k}$, **not** by $d_k$ <b>x</b>")
    assert not html.startswith("<p>") and html.count("<math") == 2 and "<strong>not</strong>" in html
    assert "&lt;b&gt;" in html


def test_a_formula_that_does_not_convert_shows_as_code():
    html = render_markdown(r"Broken: $\frac{a$ and $\notacommand$.")
    assert '<code class="math-error">\\frac{a</code>' in html and "<math" not in html


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (r"\frac{a", "unbalanced braces"),
        (r"a}", "unbalanced braces"),
        (r"\notacommand x", r"uses \notacommand"),
        (r"\begin{matrix} a", "does not convert"),
    ],
)
def test_formulas_that_latex2mathml_cannot_convert_are_refused(formula, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        formula_to_mathml(formula)


@pytest.mark.parametrize(
    "text",
    [
        VAE,
        "Steps:\n\n1. one\n2. two",
        r"A dollar: \$5; maths: $x^2$ and $$y$$; code: `$HOME`.",
        "$$\n\\frac{a}{b}\n$$",
        "```python\nprint(1)\n```",
        "```text\nplain\n```",
        "A line ends with a hyphen -\nand goes on.",
        "Autolinks are fine: <https://example.com>, and a < b > c too.",
    ],
)
def test_sources_that_render_as_meant_pass(text):
    assert markdown_problems(text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Steps:\n2. second\n3. third", "a paragraph holds the list marker of '2. second'"),
        ("Causes:\n    - indented too far", "a paragraph holds the list marker of '- indented too far'"),
        ("It costs $5 a month.", "an unbalanced $"),
        ("Spaces inside: $ x $.", "an unbalanced $"),
        ("| a |\n| - |\n| $x |", "an unbalanced $"),
        (r"Broken $\frac{a$ here.", "unbalanced braces"),
        (r"$$\notacommand$$", r"uses \notacommand"),
        ("Bold <b>this</b>.", "raw HTML '<b>'"),
        ("<div>\nblock\n</div>", "raw HTML '<div> block </div>'"),
        ("```\ncode\n```", "a fenced code block without a language"),
        ("```nosuchlanguage\ncode\n```", "a language Pygments does not know"),
    ],
)
def test_sources_that_render_badly_are_named(text, message):
    problems = markdown_problems(text)
    assert any(message in p for p in problems), problems
