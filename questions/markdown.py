"""Markdown to safe HTML for model answers, choices and explanations.

The source is CommonMark (markdown-it-py), with tables, `$...$` and `$$...$$` maths (mdit-py-plugins' dollarmath)
and fenced code highlighted by Pygments. Raw HTML in the source is not interpreted: it is escaped and shows as text.

Maths becomes MathML on the server (latex2mathml), so it needs no JavaScript and no CDN. Sanitising happens in
two separate passes, so that MathML never meets the HTML allow-list and vice versa:

1. The Markdown is rendered with a placeholder for each formula and the result goes through nh3 with an allow-list
   that has no MathML in it (and nothing a formula could forge: placeholder characters are removed from the
   source first).
2. Each formula is converted by latex2mathml from its own source and cleaned by nh3 with a MathML-only allow-list
   (no `href`, no `style`: `\\href` and `\\style` exist in latex2mathml), then put in place of its placeholder.
"""

import re
from functools import lru_cache

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "span",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sub",
    "sup",
    "a",
}
INLINE_TAGS = {"br", "strong", "em", "b", "i", "code", "span", "sub", "sup", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_ALIGN_CLASSES = {"left": "text-start", "center": "text-center", "right": "text-end"}
# Pygments' short token classes (`k`, `nf`, `s2`...) on spans; table alignment as Bootstrap classes.
ALLOWED_CLASSES = {
    "span": set(STANDARD_TYPES.values()) - {""},
    "pre": {"highlight"},
    "th": set(_ALIGN_CLASSES.values()),
    "td": set(_ALIGN_CLASSES.values()),
}

MATH_TAGS = {
    "math",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
}
MATH_ATTRIBUTES = {
    "*": {
        "mathvariant",
        "mathsize",
        "displaystyle",
        "scriptlevel",
        "stretchy",
        "fence",
        "separator",
        "form",
        "accent",
        "accentunder",
        "largeop",
        "movablelimits",
        "symmetric",
        "minsize",
        "maxsize",
        "lspace",
        "rspace",
        "linethickness",
        "notation",
        "width",
        "height",
        "depth",
        "voffset",
        "linebreak",
        "columnalign",
        "columnspacing",
        "columnlines",
        "rowalign",
        "rowspacing",
        "rowlines",
        "frame",
    },
    "math": {"display"},
}

# Private-use characters delimit the placeholders; any in the source are dropped so that none can be forged.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_FORMATTER = HtmlFormatter(nowrap=True)


class MathError(ValueError):
    """A formula that latex2mathml cannot convert."""


def formula_to_mathml(latex: str, *, display: bool = False) -> str:
    """One formula as sanitised MathML. Raises MathError when it does not convert cleanly.

    latex2mathml is lenient: an unknown command becomes an identifier spelt with its backslash, and a brace
    left open is silently closed; both are refused here, so that the bank never shows raw LaTeX."""
    if _unbalanced_braces(latex):
        raise MathError(f"unbalanced braces in ${latex}$")
    try:
        mathml = latex_to_mathml(latex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own classes, and IndexError/KeyError on some inputs
        raise MathError(f"${latex}$ does not convert: {type(exc).__name__} {exc}".strip()) from None
    unknown = re.search(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>", mathml)
    if unknown:
        raise MathError(f"${latex}$ uses {unknown.group(1)}, which latex2mathml does not know")
    return nh3.clean(mathml, tags=MATH_TAGS, attributes=MATH_ATTRIBUTES, url_schemes=set())


def _unbalanced_braces(latex: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def _render_formula(latex: str, display: bool) -> str:
    try:
        mathml = formula_to_mathml(latex, display=display)
    except MathError:
        # The validator refuses these; on a page the source shows as code rather than breaking it.
        return f'<code class="math-error">{nh3.clean_text(latex)}</code>'
    if display:
        # Display maths scrolls sideways on a narrow screen instead of overflowing the page; focusable, so that
        # a keyboard can scroll it too.
        return f'<span class="math-display" tabindex="0">{mathml}</span>'
    return mathml


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""  # markdown-it escapes the code itself
    return f'<pre class="highlight"><code>{highlight(code, lexer, _FORMATTER)}</code></pre>'


def _placeholder_rule(display: bool):
    def render(self, tokens, idx, options, env) -> str:
        formulas = env.setdefault("formulas", [])
        formulas.append((tokens[idx].content.strip(), display))
        placeholder = f"{_OPEN}{len(formulas) - 1}{_CLOSE}"
        return f"{placeholder}\n" if tokens[idx].block else placeholder

    return render


def _alignment_as_classes(state) -> None:
    """Table cells' `style="text-align:..."` would break the strict CSP (no style attributes): use classes."""
    for token in state.tokens:
        style = token.attrGet("style") if token.type in ("th_open", "td_open") else None
        if style:
            del token.attrs["style"]
            token.attrJoin("class", _ALIGN_CLASSES.get(style.removeprefix("text-align:"), ""))


def parser(*, html: bool = False) -> MarkdownIt:
    """The one CommonMark configuration of the site (html=True only to find raw HTML when validating)."""
    md = MarkdownIt("commonmark", {"html": html, "highlight": _highlight}).enable("table")
    # allow_space=False keeps "\$5 or \$10" (and a forgotten backslash) from being maths. allow_digits stays on:
    # with it off, mdit-py-plugins 0.7.0 reads src[-1] for a `$` at the very start of a paragraph and refuses
    # "$a$ is 2" when the paragraph ends with a digit.
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=True, double_inline=True)
    md.add_render_rule("math_inline", _placeholder_rule(display=False))
    md.add_render_rule("math_inline_double", _placeholder_rule(display=True))
    md.add_render_rule("math_block", _placeholder_rule(display=True))
    md.core.ruler.push("alignment_as_classes", _alignment_as_classes)
    return md


_MD = parser()


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _finish(html: str, env: dict) -> str:
    formulas = env.get("formulas", [])

    def put_back(match: re.Match) -> str:
        n = int(match.group(1))
        return _render_formula(*formulas[n]) if n < len(formulas) else ""

    return _PLACEHOLDER.sub(put_back, html)


def _source(text: str) -> str:
    return text.replace(_OPEN, "").replace(_CLOSE, "")


@lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Cached by the text itself, so an edited answer is simply a new key: nothing to invalidate."""
    env: dict = {}
    html = _MD.render(_source(text), env)
    return _finish(_clean(html, ALLOWED_TAGS), env)


@lru_cache(maxsize=4096)
def render_markdown_inline(text: str) -> str:
    """A choice or an explanation: the same Markdown and maths, without block elements (no paragraph around it)."""
    env: dict = {}
    html = _MD.renderInline(_source(text), env)
    return _finish(_clean(html, INLINE_TAGS), env)


_CHECKER = parser(html=True)  # raw HTML becomes html_* tokens here, so that it can be named
_CHECKER.core.ruler.disable("text_join")  # keeps an escaped `\$` apart (text_special) from a stray `$` (text)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")


def markdown_problems(text: str) -> list[str]:
    """What would render badly in this Markdown source, one message each (empty when it renders as meant)."""
    problems = []
    tokens = _CHECKER.parse(_source(text))
    for n, token in enumerate(tokens):
        if token.type == "html_block":
            problems.append(f"raw HTML {_snippet(token.content)}: write Markdown instead")
        elif token.type == "fence":
            lang = token.info.split(maxsplit=1)[0] if token.info.strip() else ""
            if not lang:
                problems.append("a fenced code block without a language (write ```python, ```text, ...)")
            elif not _lexer_exists(lang):
                problems.append(f"a fenced code block in {lang!r}, a language Pygments does not know")
        elif token.type in ("math_block", "math_inline_double"):
            problems.extend(_formula_problems(token.content))
        elif token.type == "inline":
            if n and tokens[n - 1].type == "paragraph_open":
                for line in token.content.splitlines()[1:]:
                    if _LIST_MARKER.match(line):
                        problems.append(
                            f"a paragraph holds the list marker of {_snippet(line)}: put a blank line before the list "
                            "(unindented; a numbered list that interrupts a paragraph must start at 1)"
                        )
            for child in token.children or []:
                if child.type == "html_inline":
                    problems.append(f"raw HTML {_snippet(child.content)}: write Markdown instead")
                elif child.type in ("math_inline", "math_inline_double"):
                    problems.extend(_formula_problems(child.content))
                elif child.type == "text" and "$" in child.content:
                    problems.append(
                        f"an unbalanced $ in {_snippet(child.content)}: close the formula ($x$, no space inside "
                        "the dollars) or write \\$ for a dollar sign"
                    )
    return problems


def _formula_problems(latex: str) -> list[str]:
    try:
        formula_to_mathml(latex.strip())
    except MathError as exc:
        return [str(exc)]
    return []


def _lexer_exists(lang: str) -> bool:
    try:
        get_lexer_by_name(lang)
    except ClassNotFound:
        return False
    return True


def _snippet(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
