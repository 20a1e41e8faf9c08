from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from questions import cache as bank_cache
from questions.models import Choice, Question, Tag

from . import export, landing, progress, services
from .forms import (
    AnswerChoiceForm,
    InterviewAnswerForm,
    InterviewStartForm,
    QuizStartForm,
    SampleAnswerForm,
    SelfRatingForm,
)
from .models import Attempt, Kind, SelfRating, Status
from .services import DeadlinePassedError, InvalidChoiceError, PracticeError, get_attempt_for_user


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the candidate's dashboard once logged in."""
    if not request.user.is_authenticated:
        return _landing(request)
    unfinished = list(Attempt.objects.for_user(request.user).active().order_by("-started_at")[:10])
    context, _ = _progress_summary(request.user, timezone.now())
    context["unfinished"] = unfinished
    context["weakest"] = [row for row in context["mastery"] if row["mastery"] is not None][:3]
    return render(request, "practice/dashboard.html", context)


def _landing(request: HttpRequest) -> HttpResponse:
    """The visitor's page, with a live sample question answered by a plain GET form (works without script)."""
    sample = landing.sample_question()
    answered = sample is not None and "choice" in request.GET
    form = SampleAnswerForm(request.GET if answered else None, choices=sample.choices if sample else ())
    picked = None
    if answered and form.is_valid():
        picked = next(c for c in sample.choices if c.pk == form.cleaned_data["choice"])
    context = {
        "question_count": Question.objects.published().count(),
        "tag_count": Tag.objects.count(),
        "sample": sample,
        "sample_form": form,
        "picked": picked,
    }
    return render(request, "landing.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------- quizzes


@login_required
def quiz_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = QuizStartForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                attempt = services.quiz_start(
                    user=request.user,
                    tags=list(form.cleaned_data["tags"]),
                    difficulty=form.cleaned_data["difficulty"],
                    question_count=form.cleaned_data["question_count"],
                    feedback_mode=form.cleaned_data["feedback_mode"],
                    now=timezone.now(),
                )
            except PracticeError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("practice:quiz", attempt.pk)
    else:
        form = QuizStartForm(user=request.user, initial={"tags": request.GET.getlist("tags")})
    status = 400 if form.errors else 200
    return render(request, "practice/quiz_new.html", {"form": form}, status=status)


@login_required
@require_POST
def quiz_diagnostic(request: HttpRequest) -> HttpResponse:
    """The first-run dashboard's five-question diagnostic, one question from each of five topics."""
    try:
        attempt = services.quiz_diagnostic_start(user=request.user, now=timezone.now())
    except PracticeError as exc:
        messages.error(request, str(exc))
        return redirect("home")
    return redirect("practice:quiz", attempt.pk)


def _running_items(attempt: Attempt) -> list:
    """The items of a quiz or interview in progress, with their answers and prompts.

    The model answers are long and never shown while an attempt runs: they stay out of this hot query.
    """
    return list(attempt.items.select_related("answer", "question").defer("question__answer").order_by("position"))


@dataclass(frozen=True)
class QuizItemState:
    """What the quiz page needs of one item: a row of one light query, no model instances."""

    position: int
    question_id: int
    choice_order: list
    answer: SimpleNamespace | None  # choice_id and is_correct once answered


def _quiz_items(attempt: Attempt) -> list[QuizItemState]:
    """The items of a running quiz with their answers; the questions come from the bank cache."""
    rows = attempt.items.order_by("position").values_list(
        "position", "question_id", "choice_order", "answer__pk", "answer__choice_id", "answer__is_correct"
    )
    return [
        QuizItemState(
            position,
            question_id,
            order,
            SimpleNamespace(choice_id=choice_id, is_correct=is_correct) if answer else None,
        )
        for position, question_id, order, answer, choice_id, is_correct in rows
    ]


def _quiz_question(question_id: int) -> tuple[Question, dict[int, Choice]]:
    """The prompt and the choices (by id) of a quiz question, from the bank cache when it is on."""

    def load():
        question = Question.objects.only("id", "prompt").get(pk=question_id)
        return question, {c.pk: c for c in Choice.objects.filter(question_id=question_id)}

    return bank_cache.cached(("quiz-question", question_id), load)


@login_required
def quiz_take(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.QUIZ)
    if request.method == "POST":
        return _quiz_submit(request, attempt)
    items = _quiz_items(attempt)
    feedback_item = None
    if attempt.feedback_mode == "each":
        shown = _int(request.GET.get("feedback"))
        feedback_item = next((i for i in items if i.position == shown and i.answer), None)
    if feedback_item is None and attempt.status != Status.ACTIVE:
        return redirect("practice:quiz_result", attempt.pk)
    next_item = next((i for i in items if not i.answer), None)
    current = feedback_item or next_item
    if current is None:
        return redirect("practice:quiz_result", attempt.pk)
    answered = sum(1 for i in items if i.answer)
    return _render_quiz_question(
        request, attempt, current, AnswerChoiceForm(), answered=answered, next_item=next_item, feedback=feedback_item
    )


def _render_quiz_question(
    request, attempt, current, form, *, answered: int, next_item=None, feedback=None, status=200
) -> HttpResponse:
    question, choices = _quiz_question(current.question_id)
    ordered = [choices[pk] for pk in current.choice_order if pk in choices]
    form.fields["choice"].choices = [(c.pk, c.text) for c in ordered]
    selected = form["choice"].value() if form.is_bound else None
    return render(
        request,
        "practice/quiz_take.html",
        {
            "attempt": attempt,
            "item": current,
            "question": question,
            "choices": ordered,
            "selected": str(selected) if selected is not None else "",
            "form": form,
            "feedback": feedback,
            "answered": answered,
            "percent_done": round(100 * answered / attempt.question_count),
            "next_item": next_item,
        },
        status=status,
    )


def _quiz_submit(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    position, choice_id = _int(request.POST.get("position")), _int(request.POST.get("choice"))
    try:
        # The service locks the attempt and checks the item, a second submit and the choice itself.
        result = services.quiz_answer(attempt=attempt, position=position, choice_id=choice_id, now=timezone.now())
    except InvalidChoiceError:
        return _refuse_quiz_answer(request, attempt, position)
    except PracticeError as exc:
        messages.error(request, str(exc))
        return redirect("practice:quiz", attempt.pk)
    if result.duplicate:
        messages.info(request, "You already answered that question; your first answer counts.")
    if attempt.feedback_mode == "each":
        return redirect(reverse("practice:quiz", args=[attempt.pk]) + f"?feedback={position}")
    if result.finished:
        return redirect("practice:quiz_result", attempt.pk)
    return redirect("practice:quiz", attempt.pk)


def _refuse_quiz_answer(request: HttpRequest, attempt: Attempt, position: int) -> HttpResponse:
    """The question again, with the form's own message for a missing or foreign choice (400).

    The service has found the item unanswered before refusing the choice."""
    item = attempt.items.get(position=position)
    _question, choices = _quiz_question(item.question_id)
    form = AnswerChoiceForm(request.POST, choices=[choices[pk] for pk in item.choice_order if pk in choices])
    form.is_valid()
    answered = attempt.items.filter(answer__isnull=False).count()
    return _render_quiz_question(request, attempt, item, form, answered=answered, next_item=item, status=400)


@login_required
def quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.QUIZ)
    if attempt.status == Status.ACTIVE:
        return redirect("practice:quiz", attempt.pk)
    items = list(
        attempt.items.select_related("answer", "question")
        .prefetch_related(Prefetch("question__choices", queryset=Choice.objects.order_by("id")))
        .order_by("position")
    )
    for item in items:
        item.correct_choice = next((c for c in item.question.choices.all() if c.is_correct), None)
        answer = getattr(item, "answer", None)
        item.chosen = next((c for c in item.question.choices.all() if answer and c.pk == answer.choice_id), None)
    wrong = sum(1 for i in items if not getattr(getattr(i, "answer", None), "is_correct", False))
    return render(
        request,
        "practice/quiz_result.html",
        {
            "attempt": attempt,
            "items": items,
            "breakdown": services.tag_breakdown(attempt),
            "wrong_count": wrong,
        },
    )


@login_required
@require_POST
def quiz_retry(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.QUIZ)
    try:
        retry = services.quiz_retry_wrong(attempt=attempt, now=timezone.now())
    except PracticeError as exc:
        messages.info(request, str(exc))
        return redirect("practice:quiz_result", attempt.pk)
    return redirect("practice:quiz", retry.pk)


@login_required
@require_POST
def attempt_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk)
    try:
        services.attempt_abandon(attempt=attempt, now=timezone.now())
    except PracticeError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"{attempt.get_kind_display()} abandoned. It stays in your history.")
    return redirect("home")


# ---------------------------------------------------------------- mock interviews


@login_required
def interview_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = InterviewStartForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                attempt = services.interview_start(
                    user=request.user,
                    tags=list(form.cleaned_data["tags"]),
                    difficulty=form.cleaned_data["difficulty"],
                    question_count=form.cleaned_data["question_count"],
                    minutes=form.cleaned_data["minutes"],
                    now=timezone.now(),
                )
            except PracticeError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("practice:interview", attempt.pk)
    else:
        form = InterviewStartForm(user=request.user, initial={"tags": request.GET.getlist("tags")})
    return render(request, "practice/interview_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def interview_take(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    now = timezone.now()
    if attempt.is_active and not attempt.accepts_saves(now):
        attempt = services.interview_finish(attempt=attempt, now=now)
    if not attempt.is_active:
        if attempt.status == Status.FINISHED:
            return redirect("practice:interview_review", attempt.pk)
        messages.info(request, "You abandoned this interview.")
        return redirect("home")
    if request.method == "POST":
        return _interview_save(request, attempt, now)
    return _render_interview(request, attempt, now)


def _render_interview(request, attempt, now, *, errors=None, status=200) -> HttpResponse:
    items = _running_items(attempt)
    return render(
        request,
        "practice/interview_take.html",
        {
            "attempt": attempt,
            "items": items,
            "errors": errors or {},
            "seconds_left": max(0, int((attempt.deadline - now).total_seconds())),
            "timer_data": {
                "deadline": attempt.deadline.isoformat(),
                "serverNow": now.isoformat(),
                "saveUrl": reverse("practice:interview_save", args=[attempt.pk]),
                "finishUrl": reverse("practice:interview_finish", args=[attempt.pk]),
                "reviewUrl": reverse("practice:interview_review", args=[attempt.pk]),
            },
        },
        status=status,
    )


def _interview_save(request: HttpRequest, attempt: Attempt, now) -> HttpResponse:
    """The no-JavaScript path: the whole form is posted with the "Save answers" button.

    Every answer is checked first; if any is invalid, nothing is saved and the page says which.
    """
    texts, errors = {}, {}
    for item in attempt.items.order_by("position"):
        field = f"answer-{item.position}"
        if field not in request.POST:
            continue
        form = InterviewAnswerForm({"text": request.POST[field]})
        if form.is_valid():
            texts[item.position] = form.cleaned_data["text"]
        else:
            errors[item.position] = form.errors["text"][0]
    if errors:
        messages.error(request, "Nothing was saved: see the messages below.")
        return _render_interview(request, attempt, now, errors=errors, status=400)
    try:
        for position, text in texts.items():
            services.interview_save_answer(attempt=attempt, position=position, text=text, revision=None, now=now)
    except DeadlinePassedError as exc:
        messages.error(request, str(exc))
        return redirect("practice:interview_review", attempt.pk)
    messages.success(request, f"Saved {len(texts)} answer{'s' if len(texts) != 1 else ''}.")
    return redirect("practice:interview", attempt.pk)


@login_required
@require_POST
def interview_save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave of one answer (JSON). Answers 409 once the deadline and grace period are over."""
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    position = _int(request.POST.get("position"))
    form = InterviewAnswerForm(request.POST)
    if position is None:
        return JsonResponse({"ok": False, "error": "Which question? The position is missing."}, status=400)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return JsonResponse({"ok": False, "error": error}, status=400)
    try:
        result = services.interview_save_answer(
            attempt=attempt,
            position=position,
            text=form.cleaned_data["text"],
            revision=form.cleaned_data["revision"],
            now=timezone.now(),
        )
    except DeadlinePassedError as exc:
        return JsonResponse({"ok": False, "error": str(exc), "ended": True}, status=409)
    except PracticeError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "stored": result.stored,
            "revision": result.answer.revision,
            "savedAt": result.answer.answered_at.isoformat(),
        }
    )


@login_required
@require_POST
@transaction.atomic
def interview_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    now = timezone.now()
    # The form carries the answers too, so finishing (or the page submitting itself at zero) saves them.
    for item in attempt.items.order_by("position"):
        field = f"answer-{item.position}"
        form = InterviewAnswerForm({"text": request.POST.get(field, "")})
        if field in request.POST and form.is_valid():
            try:
                services.interview_save_answer(
                    attempt=attempt,
                    position=item.position,
                    text=form.cleaned_data["text"],
                    revision=_int(request.POST.get(f"revision-{item.position}")),
                    now=now,
                )
            except DeadlinePassedError:
                break
    services.interview_finish(attempt=attempt, now=now)
    return redirect("practice:interview_review", attempt.pk)


@login_required
def interview_review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    now = timezone.now()
    if attempt.is_active and not attempt.accepts_saves(now):
        attempt = services.interview_finish(attempt=attempt, now=now)
    if attempt.is_active:
        return redirect("practice:interview", attempt.pk)
    if request.method == "POST":
        form = SelfRatingForm(request.POST)
        if form.is_valid():
            try:
                services.interview_rate(
                    attempt=attempt,
                    position=form.cleaned_data["position"],
                    rating=form.cleaned_data["rating"],
                    now=now,
                )
            except PracticeError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Rating saved; the interview score is updated.")
            return redirect(
                reverse("practice:interview_review", args=[attempt.pk]) + f"#q{form.cleaned_data['position']}"
            )
        messages.error(request, form.errors.get("rating", form.errors.get("position", ["Invalid rating."]))[0])
        return redirect("practice:interview_review", attempt.pk)
    items = list(
        attempt.items.select_related("answer", "question").prefetch_related("question__key_points").order_by("position")
    )
    for item in items:
        answer = getattr(item, "answer", None)
        covered = set(answer.covered_points) if answer else set()
        points = list(item.question.key_points.all())
        item.hit = [p for p in points if p.pk in covered]
        item.missed = [p for p in points if p.pk not in covered]
        item.coverage_percent = round(100 * (answer.coverage or 0)) if answer else 0
        item.score_percent = round(100 * services.question_score(answer.coverage, answer.self_rating)) if answer else 0
    return render(
        request,
        "practice/interview_review.html",
        {"attempt": attempt, "items": items, "ratings": SelfRating.choices},
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- progress

HISTORY_PAGE_SIZE = 25


def _progress_summary(user, now) -> tuple[dict, list[dict]]:
    """What the dashboard and the progress page share: totals, streak, calendar, mastery; and the daily rows."""
    daily = progress.daily_stats(user)
    today = progress.local_today(user, now)
    summary = {
        "totals": progress.totals(daily),
        "streak": progress.streak([row["day"] for row in daily], today),
        "calendar": progress.calendar(daily, today),
        "mastery": progress.mastery(user),
    }
    return summary, daily


def _progress_context(user, now) -> dict:
    """The progress page: the summary plus the chart and its table."""
    context, daily = _progress_summary(user, now)
    points = progress.chart_points(user)
    zone = progress.user_zone(user)
    averages = progress.moving_averages(daily, zone)
    series = [*points[Kind.QUIZ], *points[Kind.INTERVIEW], *averages[Kind.QUIZ], *averages[Kind.INTERVIEW]]
    context.update(
        chart={
            "quiz": points[Kind.QUIZ],
            "interview": points[Kind.INTERVIEW],
            "quizAverage": averages[Kind.QUIZ],
            "interviewAverage": averages[Kind.INTERVIEW],
            "timeZone": user.time_zone,
            **progress.chart_axis([x for x, _ in series], zone),
        },
        daily_rows=_daily_table(daily),
        time_zone=user.time_zone,
    )
    return context


def _daily_table(daily: list[dict]) -> list[dict]:
    """The chart's data as a table: one row per day, newest first (the accessible alternative)."""
    days: dict = {}
    for row in daily:
        entry = days.setdefault(row["day"], {"day": row["day"]})
        entry[row["kind"]] = {"count": row["attempts"], "average": row["score_sum"] / row["attempts"]}
    return sorted(days.values(), key=lambda r: r["day"], reverse=True)


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    history = Attempt.objects.for_user(request.user).order_by("-started_at", "-id")
    if kind:
        history = history.filter(kind=kind)
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _progress_context(request.user, timezone.now())
    context.update(page=page, kind=kind, kinds=[(Kind.QUIZ, "Quizzes"), (Kind.INTERVIEW, "Mock interviews")])
    return render(request, "practice/progress.html", context)


@login_required
def progress_export(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.history_csv_rows(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interviewprep-history.csv"'
    return response


@login_required
@require_POST
def progress_reset(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you want to delete your progress. Nothing was deleted.")
        return redirect("accounts:profile")
    deleted = services.progress_reset(user=request.user)
    messages.success(
        request, f"Your progress is reset: {deleted} attempt{'s' if deleted != 1 else ''} deleted. Your account stays."
    )
    return redirect("practice:progress")
