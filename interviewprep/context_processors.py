from django.http import HttpRequest
from django.urls import reverse

# (label, URL name, path prefix that marks the item as current)
NAV = [
    ("Questions", "questions:list", "/questions/"),
    ("Quiz", "practice:quiz_new", "/quizzes/"),
    ("Mock interview", "practice:interview_new", "/interviews/"),
    ("Progress", "practice:progress", "/progress/"),
]


def navigation(request: HttpRequest) -> dict:
    items = [
        {"label": label, "url": reverse(name), "active": request.path.startswith(prefix)} for label, name, prefix in NAV
    ]
    return {"nav_items": items}
