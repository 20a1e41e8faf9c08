from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from questions.models import Question, Tag

from .models import Attempt


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the candidate's dashboard once logged in."""
    if not request.user.is_authenticated:
        return render(
            request,
            "landing.html",
            {"question_count": Question.objects.published().count(), "tag_count": Tag.objects.count()},
        )
    unfinished = Attempt.objects.for_user(request.user).active().order_by("-started_at")[:5]
    return render(request, "practice/dashboard.html", {"unfinished": unfinished})
