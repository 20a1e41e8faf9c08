from django import template
from django.utils.safestring import mark_safe

from questions.markdown import render_markdown, render_markdown_inline

register = template.Library()

DIFFICULTY_BADGES = {
    "basic": "text-bg-success",
    "intermediate": "text-bg-warning",
    "advanced": "text-bg-danger",
}


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 in render_markdown


@register.filter
def markdown_inline(text: str) -> str:
    """A choice or an explanation: inline Markdown and maths, no paragraph."""
    return mark_safe(render_markdown_inline(text))  # noqa: S308 - sanitised by nh3 in render_markdown_inline


@register.filter
def difficulty_badge(value: str) -> str:
    return DIFFICULTY_BADGES.get(value, "text-bg-secondary")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def duration(value) -> str:
    """A timedelta as '12 min 5 s' (or '1 h 3 min')."""
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


@register.filter
def mmss(seconds) -> str:
    """Seconds as mm:ss, the countdown's format."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
