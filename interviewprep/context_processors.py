from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

# (label, URL name, path prefix that marks the item as current)
NAV = [
    ("Questions", "questions:list", "/questions/"),
    ("Quiz", "practice:quiz_new", "/quizzes/"),
    ("Mock interview", "practice:interview_new", "/interviews/"),
    ("Review", "reviews:queue", "/review/"),
    ("Progress", "practice:progress", "/progress/"),
]


@lru_cache(maxsize=8)
def _nav_urls(script_prefix: str) -> tuple[str, ...]:
    """The menu's URLs, reversed once per script prefix rather than on every page."""
    return tuple(reverse(name) for _label, name, _prefix in NAV)


def navigation(request: HttpRequest) -> dict:
    urls = _nav_urls(get_script_prefix())
    items = [
        {"label": label, "name": name, "url": url, "active": request.path.startswith(prefix)}
        for (label, name, prefix), url in zip(NAV, urls, strict=True)
    ]
    return {"nav_items": items}
