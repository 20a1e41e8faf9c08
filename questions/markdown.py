"""Markdown to safe HTML for model answers.

Raw HTML in the source is not interpreted: it is escaped and shows as text. The output then goes
through an allow-list sanitiser as a second line of defence.
"""

from functools import lru_cache

import markdown as md
import nh3
from markdown.extensions import Extension

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


class EscapeHtml(Extension):
    def extendMarkdown(self, md_instance):  # noqa: N802 - Markdown's API name
        md_instance.preprocessors.deregister("html_block")
        md_instance.inlinePatterns.deregister("html")


@lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Cached by the text itself, so an edited answer is simply a new key: nothing to invalidate."""
    html = md.markdown(text, extensions=["extra", "sane_lists", EscapeHtml()], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
