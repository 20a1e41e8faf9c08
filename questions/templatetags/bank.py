from django import template
from django.utils.safestring import mark_safe

from questions.markdown import render_markdown

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
