from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .queries import due_summary_for_request


def due_count(request: HttpRequest) -> dict:
    """The navigation's "12 due": one query, run only when a page shows it, shared with the page itself."""
    if not request.user.is_authenticated:
        return {}
    return {"review_due": SimpleLazyObject(lambda: due_summary_for_request(request, timezone.now()))}
