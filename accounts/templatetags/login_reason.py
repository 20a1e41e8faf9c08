"""Why the login page was shown: a visitor who clicked Quiz, Mock interview or Progress is told why."""

from django import template

register = template.Library()

# (path prefix of the page the visitor wanted, what signing in lets them do there)
REASONS = (
    ("/quizzes/", "take a quiz"),
    ("/interviews/", "sit a mock interview"),
    ("/progress/", "see your progress"),
    ("/review/", "review the questions due today"),
)


@register.simple_tag
def login_reason(next_url: str | None) -> str:
    for prefix, reason in REASONS:
        if (next_url or "").startswith(prefix):
            return reason
    return ""
