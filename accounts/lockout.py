"""The page of a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): how long, in words, and when to retry."""

import math
from datetime import timedelta

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def duration_words(delta: timedelta) -> str:
    """15 minutes, 1 hour, 1 hour 30 minutes: never ISO 8601's PT15M."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    now = timezone.now()
    cool_off = get_cool_off(request) or timedelta()
    # The lock lasts from the last failure (axes moves attempt_time on every failure) for the cool-off time.
    last_failure = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    retry_at = (last_failure or now) + cool_off
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off": duration_words(cool_off),
        "retry_at": retry_at,
        "wait": duration_words(max(retry_at - now, timedelta(minutes=1))),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
