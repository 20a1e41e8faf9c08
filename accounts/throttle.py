"""Which account a log-in attempt is for, so that every spelling of it counts against one lockout."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """`AXES_USERNAME_CALLABLE`: the real username of the account the input names, else the normalised input.

    The input names an account as the log-in backend reads it: an email address in any case, or a username
    (also in any case, so that `VICTIM` and `victim` share a counter). An input naming no account counts under
    its lower-cased, stripped form.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None:
        raw = request.POST.get(field, "") if request is not None else ""
    text = str(raw).strip()
    if not text or "\x00" in text:  # a NUL byte names no account, and PostgreSQL refuses it in a query
        return text.lower()
    matches = list(
        get_user_model()
        .objects.filter(Q(username__iexact=text) | Q(email__iexact=text))
        .order_by("pk")
        .values_list("username", "email")
    )
    by_email = [username for username, email in matches if email.lower() == text.lower()]
    exact = [username for username, _ in matches if username == text]
    by_username = [username for username, _ in matches if username.lower() == text.lower()]
    # The same preference as accounts.backends.UsernameOrEmailBackend: an address names its owner first.
    order = (by_email, exact, by_username) if "@" in text else (exact, by_username, by_email)
    for found in order:
        if found:
            return found[0]
    return text.lower()
