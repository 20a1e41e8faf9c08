from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from questions.models import KeyPoint, Question

from . import export, queries, scheduling, services
from .forms import BookmarkForm, NoteForm, RateForm, ResetForm
from .models import Card, Rating, Source
from .panels import rating_buttons
from .services import ReviewError

# Sent by static/js/review.js: answer with the next card's fragment instead of a redirect to the whole page.
FRAGMENT_HEADER = "X-Review-Fragment"


def get_card_for_user(request: HttpRequest, pk: int) -> Card:
    """The one access rule for cards: the owner's, else 404, never 403."""
    return get_object_or_404(Card.objects.for_user(request.user), pk=pk)


def _queue_context(request: HttpRequest, now: datetime) -> dict:
    summary = queries.due_summary_for_request(request, now)
    card = queries.next_card(request.user, now, summary)
    context = {"summary": summary, "card": card}
    if card is not None:
        card.key_points = list(KeyPoint.objects.filter(question_id=card.question_id).order_by("id"))
        context["buttons"] = rating_buttons(card, now, request.user.desired_retention)
        context["form"] = RateForm()
    else:
        context["weakest"] = queries.weakest_tag(request.user)
    return context


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request, timezone.now())
    template = "reviews/_queue_card.html" if request.headers.get(FRAGMENT_HEADER) else "reviews/queue.html"
    return render(request, template, context)


def _refuse(request: HttpRequest, message: str, url: str) -> HttpResponse:
    if request.headers.get(FRAGMENT_HEADER):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    messages.error(request, message)
    return redirect(url)


@login_required
@require_POST
def card_rate(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_card_for_user(request, pk)
    form = RateForm(request.POST)
    queue_url = reverse("reviews:queue")
    if not form.is_valid():
        return _refuse(request, form.first_error() + " Nothing was changed.", queue_url)
    now = timezone.now()
    try:
        result = services.card_review(
            user=request.user,
            question=card.question_id,
            rating=form.cleaned_data["rating"],
            now=now,
            source=Source.REVIEW,
            expected_reps=form.cleaned_data["reps"],
        )
        if not result.duplicate and form.cleaned_data["keep_answer"] and form.cleaned_data["answer"]:
            services.note_append(
                user=request.user, question=card.question_id, text=form.cleaned_data["answer"], now=now
            )
    except ReviewError as exc:
        return _refuse(request, str(exc), queue_url)
    if request.headers.get(FRAGMENT_HEADER):
        context = _queue_context(request, now)
        context["rated"] = result
        return render(request, "reviews/_queue_card.html", context)
    if result.duplicate:
        messages.info(request, "You already rated that card; your first rating counts.")
    else:
        messages.success(request, _rated_message(result.card, now))
    return redirect(queue_url)


def _rated_message(card: Card, now: datetime) -> str:
    return f"{Rating(card.last_rating).label}: next review in {scheduling.interval_label(card.due - now)}."


def _question_url(pk: int) -> str:
    return reverse("questions:detail", args=[pk])


def _question_or_message(request: HttpRequest, pk: int) -> Question | None:
    question = Question.objects.published().only("id").filter(pk=pk).first()
    if question is None:
        messages.error(request, "That question does not exist or is no longer published. Nothing was changed.")
    return question


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    if _question_or_message(request, pk) is None:
        return redirect("questions:list")
    try:
        _card, created = services.card_add(user=request.user, question=pk, now=timezone.now())
    except ReviewError as exc:
        messages.error(request, str(exc))
        return redirect("questions:list")
    if created:
        messages.success(request, "Added to your reviews: it joins your queue as a new card.")
    else:
        messages.info(request, "This question is already in your reviews.")
    return redirect(_question_url(pk))


@login_required
@require_POST
def question_rate(request: HttpRequest, pk: int) -> HttpResponse:
    if _question_or_message(request, pk) is None:
        return redirect("questions:list")
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error() + " Nothing was changed.")
        return redirect(_question_url(pk))
    now = timezone.now()
    try:
        result = services.card_review(
            user=request.user,
            question=pk,
            rating=form.cleaned_data["rating"],
            now=now,
            source=Source.QUESTION,
            expected_reps=form.cleaned_data["reps"],
        )
    except ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(_question_url(pk))
    if result.duplicate:
        messages.info(request, "You already rated this question; your first rating counts.")
    else:
        messages.success(request, _rated_message(result.card, now))
    return redirect(_question_url(pk) + "#my-review")


@login_required
@require_POST
def question_note(request: HttpRequest, pk: int) -> HttpResponse:
    if _question_or_message(request, pk) is None:
        return redirect("questions:list")
    form = NoteForm(request.POST)
    if "text" not in request.POST:  # an incomplete form must not clear the note
        messages.error(request, "The note's text is missing; nothing was saved.")
        return redirect(_question_url(pk) + "#my-note")
    if not form.is_valid():
        messages.error(request, form.errors["text"][0])
        return redirect(_question_url(pk) + "#my-note")
    try:
        note = services.note_save(user=request.user, question=pk, text=form.cleaned_data["text"], now=timezone.now())
    except ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your note is saved." if note.text else "Your note is cleared.")
    return redirect(_question_url(pk) + "#my-note")


@login_required
@require_POST
def question_bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    if _question_or_message(request, pk) is None:
        return redirect("questions:list")
    form = BookmarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to bookmark the question or to remove the bookmark. Nothing was changed.")
        return redirect(_question_url(pk))
    starred = form.cleaned_data["starred"]
    services.bookmark_set(user=request.user, question=pk, starred=starred, now=timezone.now())
    messages.success(request, "Bookmarked." if starred else "Bookmark removed.")
    return redirect(_question_url(pk))


@login_required
@require_GET
def export_apkg(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("which", "bookmarked")
    if which not in ("bookmarked", "all"):
        messages.error(request, "Export your bookmarked questions or all questions.")
        return redirect("practice:progress")
    questions = Question.objects.published().prefetch_related(
        "tags", Prefetch("key_points", queryset=KeyPoint.objects.order_by("id"))
    )
    if which == "bookmarked":
        questions = questions.filter(notes__user=request.user, notes__starred=True)
    questions = list(questions.order_by("id"))
    if not questions:
        messages.info(request, "You have no bookmarked questions yet: star a question on its page, or export all.")
        return redirect("practice:progress")
    response = HttpResponse(export.anki_package(questions, which=which), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="interviewprep-{which}.apkg"'
    return response


@login_required
@require_GET
def export_log(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.review_log_rows(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interviewprep-reviews.csv"'
    return response


@login_required
@require_POST
def schedule_reset(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Tick the box to confirm that you want to reset your review schedule. Nothing was reset."
        )
        return redirect("accounts:profile")
    count = services.schedule_reset(user=request.user)
    messages.success(
        request,
        f"Your review schedule is reset: {count} card{'s' if count != 1 else ''} removed. "
        "Your attempts, notes and bookmarks stay.",
    )
    return redirect("accounts:profile")
