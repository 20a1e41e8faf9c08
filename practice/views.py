import random
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import FeedbackMode
from questions import cache as bank_cache
from questions.forms import QuestionFilterForm
from questions.models import Question, Tag
from questions.services import question_ids, quiz_questions
from reviews import queries as review_queries

from . import export, landing, progress, services
from .forms import (
    MAX_REVISION,
    AnswerChoiceForm,
    InterviewAnswerForm,
    InterviewAnswersForm,
    InterviewStartForm,
    QuizStartForm,
    SampleAnswerForm,
    SelfRatingForm,
)
from .models import Attempt, Kind, SelfRating, Status
from .services import DeadlinePassedError, InvalidChoiceError, PracticeError, QuizItem, StoredAnswer


def get_attempt_for_user(user, pk: int, kind: str | None = None) -> Attempt:
    """The one access rule for attempts: the owner's (and of the right kind, if given), else 404, never 403."""
    attempts = Attempt.objects.for_user(user)
    if kind is not None:
        attempts = attempts.filter(kind=kind)
    return get_object_or_404(attempts, pk=pk)


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the candidate's dashboard once logged in."""
    if not request.user.is_authenticated:
        return _landing(request)
    now = timezone.now()
    # Interviews past their deadline are finished where they are listed (and by the cron job).
    services.close_expired_interviews(now=now, user=request.user)
    unfinished = list(
        Attempt.objects.for_user(request.user).active().prefetch_related("tags").order_by("-started_at")[:10]
    )
    context, _ = _progress_summary(request.user, now)
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
def quiz_from_questions(request: HttpRequest) -> HttpResponse:
    """ "Start a quiz from these": the question list's filters (bank and personal), up to the default length."""
    tags = bank_cache.cached(("tags",), lambda: list(Tag.objects.all()))
    form = QuestionFilterForm(request.POST, tags=tags)
    filters = form.filters()
    now = timezone.now()
    mine = request.POST.get("mine", "")
    ids = question_ids(**filters)
    if mine in review_queries.PERSONAL_FILTERS:
        ids = list(review_queries.personal_ids(request.user, ids, mine, now))
    back = reverse("questions:list") + "?" + urlencode({k: v for k, v in {**filters, "mine": mine}.items() if v})
    if not ids:
        messages.error(request, "No question matches these filters, so no quiz was started.")
        return redirect(back)
    picked = random.sample(ids, min(len(ids), request.user.quiz_length))
    try:
        attempt = services.quiz_start(
            user=request.user,
            tags=[],
            difficulty="any",
            question_count=len(picked),
            feedback_mode=request.user.quiz_feedback,
            now=now,
            question_ids=picked,
        )
    except PracticeError as exc:  # too many unfinished attempts or starts: say so, start nothing
        messages.error(request, str(exc))
        return redirect(back)
    return redirect("practice:quiz", attempt.pk)


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


def _quiz_items(attempt: Attempt) -> list[QuizItem]:
    """The items of a running quiz with their answers; the questions come from the bank cache."""
    rows = attempt.items.order_by("position").values_list(
        "pk", "position", "question_id", "choice_order", "answer__pk", "answer__choice_id", "answer__is_correct"
    )
    return [
        QuizItem(pk, position, question_id, order, StoredAnswer(choice_id, is_correct) if answer else None)
        for pk, position, question_id, order, answer, choice_id, is_correct in rows
    ]


# With JavaScript the quiz page posts its answer with this header and swaps in the next page's body (the feedback
# or the next question) from the same response: one request per answer. Without it, post/redirect/get.
FRAGMENT_HEADER = "X-Quiz-Fragment"


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "1"


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for the page's script, a 204 naming where to go (fetch would follow a redirect itself)."""
    if _wants_fragment(request):
        return HttpResponse(status=204, headers={"X-Quiz-Redirect": url})
    return redirect(url)


@login_required
def quiz_take(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return _quiz_submit(request, pk)
    attempt = get_attempt_for_user(request.user, pk, Kind.QUIZ)
    items = _quiz_items(attempt)
    feedback_item = None
    if attempt.feedback_mode == FeedbackMode.EACH:
        shown = _int(request.GET.get("feedback"))
        feedback_item = next((i for i in items if i.position == shown and i.answer), None)
    if feedback_item is None and attempt.status != Status.ACTIVE:
        return redirect("practice:quiz_result", attempt.pk)
    next_item = next((i for i in items if not i.answer), None)
    current = feedback_item or next_item
    if current is None:
        return redirect("practice:quiz_result", attempt.pk)
    answered = sum(1 for i in items if i.answer)
    question = quiz_questions([current.question_id])[current.question_id]
    return _render_quiz_question(
        request,
        attempt,
        current,
        question,
        AnswerChoiceForm(),
        answered=answered,
        next_item=next_item,
        feedback=feedback_item,
    )


def _render_quiz_question(
    request, attempt, current, question, form, *, answered: int, next_item=None, feedback=None, notice="", status=200
) -> HttpResponse:
    ordered = [question.choices[pk] for pk in current.choice_order if pk in question.choices]
    form.fields["choice"].choices = [(c.pk, c.text) for c in ordered]
    selected = form["choice"].value() if form.is_bound else None
    errors = form.errors.get("choice") if form.is_bound else None
    context = {
        "choice_error": errors[0] if errors else "",
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
        "notice": notice,
    }
    if not _wants_fragment(request):
        return render(request, "practice/quiz_take.html", context, status=status)
    # The body alone, with the address and title of the page it stands for (the script sets both): a reload
    # or a bookmark of that address shows the same page.
    url = reverse("practice:quiz", args=[attempt.pk]) + (f"?feedback={current.position}" if feedback else "")
    title = f"Quiz: question {current.position} of {attempt.question_count} · InterviewPrep"
    response = render(request, "practice/_quiz_body.html", context, status=status)
    response["X-Quiz-Url"] = url
    response["X-Quiz-Title"] = title
    return response


def _quiz_submit(request: HttpRequest, pk: int) -> HttpResponse:
    position, choice_id = _int(request.POST.get("position")), _int(request.POST.get("choice"))
    try:
        # The service's locking read of the quiz is also the access check (owner and kind).
        result = services.quiz_answer(
            user=request.user, attempt_id=pk, position=position, choice_id=choice_id, now=timezone.now()
        )
    except Attempt.DoesNotExist:
        raise Http404("No quiz of yours has this number.") from None
    except InvalidChoiceError:
        return _refuse_quiz_answer(request, pk, position)
    except PracticeError as exc:
        messages.error(request, str(exc))
        return _go(request, reverse("practice:quiz", args=[pk]))
    attempt = result.attempt
    notice = "You already answered that question; your first answer counts." if result.duplicate else ""
    each = attempt.feedback_mode == FeedbackMode.EACH
    if not _wants_fragment(request) or (result.finished and not each):
        if notice:
            messages.info(request, notice)
        if each:
            return _go(request, reverse("practice:quiz", args=[pk]) + f"?feedback={position}")
        if result.finished:
            return _go(request, reverse("practice:quiz_result", args=[pk]))
        return _go(request, reverse("practice:quiz", args=[pk]))
    items = result.items
    next_item = result.next_item
    current = next(i for i in items if i.position == position) if each else next_item
    return _render_quiz_question(
        request,
        attempt,
        current,
        result.questions[current.question_id],
        AnswerChoiceForm(),
        answered=sum(1 for i in items if i.answer),
        next_item=next_item,
        feedback=current if each else None,
        notice=notice,
    )


def _refuse_quiz_answer(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """The question again, with the form's own message for a missing or foreign choice (400).

    The service has found the item unanswered before refusing the choice."""
    attempt = get_attempt_for_user(request.user, pk, Kind.QUIZ)
    items = _quiz_items(attempt)
    item = next(i for i in items if i.position == position)
    question = quiz_questions([item.question_id])[item.question_id]
    form = AnswerChoiceForm(
        request.POST, choices=[question.choices[c] for c in item.choice_order if c in question.choices]
    )
    form.is_valid()
    answered = sum(1 for i in items if i.answer)
    return _render_quiz_question(request, attempt, item, question, form, answered=answered, next_item=item, status=400)


@login_required
def quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.QUIZ)
    if attempt.status == Status.ACTIVE:
        return redirect("practice:quiz", attempt.pk)
    items, wrong = progress.quiz_result_items(attempt)
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
@never_cache
def interview_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The running interview. Never cached: Back after the finish must not show a live page with a timer."""
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    now = timezone.now()
    attempt = services.interview_close_if_due(attempt=attempt, now=now)
    if not attempt.is_active:
        if attempt.is_finished:
            return redirect("practice:interview_review", attempt.pk)
        messages.info(request, "You abandoned this interview.")
        return redirect("home")
    if request.method == "POST":
        return _interview_save(request, attempt, now)
    return _render_interview(request, attempt, now)


@dataclass
class BoxState:
    """What the page shows of one answer box when it comes back from a post: the text sent, not the stored one."""

    text: str
    revision: int
    error: str = ""
    newer_text: str | None = None  # set on a conflict: the text another tab or device stored


def _render_interview(request, attempt, now, *, boxes: dict[int, BoxState] | None = None, status=200) -> HttpResponse:
    items = _running_items(attempt)
    boxes = boxes or {}
    for item in items:
        answer = getattr(item, "answer", None)
        stored = BoxState(answer.text if answer else "", answer.revision if answer else 0)
        item.box = boxes.get(item.position, stored)
        if item.box.newer_text is not None:
            item.state = "Not saved: this answer was changed in another tab or device."
        elif item.box.text != stored.text:
            item.state = "Not saved yet"
        else:
            item.state = "Saved" if answer else "Not started"
        item.saved = item.box.text == stored.text
    return render(
        request,
        "practice/interview_take.html",
        {
            "attempt": attempt,
            "items": items,
            "seconds_left": max(0, int((attempt.deadline - now).total_seconds())),
            "timer_data": {
                "attempt": attempt.pk,
                "deadline": attempt.deadline.isoformat(),
                "startedAt": attempt.started_at.isoformat(),
                "serverNow": now.isoformat(),
                "pageUrl": reverse("practice:interview", args=[attempt.pk]),
                "saveUrl": reverse("practice:interview_save", args=[attempt.pk]),
                "finishUrl": reverse("practice:interview_finish", args=[attempt.pk]),
                "reviewUrl": reverse("practice:interview_review", args=[attempt.pk]),
            },
        },
        status=status,
    )


def _answers_form(request: HttpRequest, attempt: Attempt) -> InterviewAnswersForm:
    positions = list(attempt.items.order_by("position").values_list("position", flat=True))
    return InterviewAnswersForm(request.POST, positions=positions)


def _posted_boxes(form: InterviewAnswersForm) -> dict[int, BoxState]:
    """The boxes as posted (raw, even when invalid), so a refused post never empties a box on screen."""
    boxes = {}
    for position in form.posted_positions():
        revision = _int(form.data.get(f"revision-{position}"))
        valid = revision is not None and 0 <= revision <= MAX_REVISION
        boxes[position] = BoxState(form.data.get(f"answer-{position}", ""), revision if valid else 0)
    return boxes


def _invalid_answers(request: HttpRequest, attempt: Attempt, form: InterviewAnswersForm, now) -> HttpResponse:
    boxes = _posted_boxes(form)
    for position, error in form.box_errors().items():
        boxes.setdefault(position, BoxState("", 0)).error = error
    messages.error(request, "Nothing was saved and the interview goes on: see the messages below.")
    return _render_interview(request, attempt, now, boxes=boxes, status=400)


def _interview_save(request: HttpRequest, attempt: Attempt, now) -> HttpResponse:
    """The no-JavaScript path: the whole form is posted with the "Save answers" button.

    Every answer is checked first; if any is invalid, nothing is saved and the page says which. If another tab
    changed an answer meanwhile, nothing is saved either: the page comes back with this tab's text in every box
    and the newer text beside the changed one, and saving again (its revision is now the newer one) overwrites.
    """
    form = _answers_form(request, attempt)
    if not form.is_valid():
        return _invalid_answers(request, attempt, form, now)
    boxes = _posted_boxes(form)
    try:
        saved = services.interview_save_answers(
            attempt=attempt, drafts=form.drafts(), tab=form.cleaned_data["tab"], now=now
        )
    except services.AnswersConflictError as exc:
        for position, newer in exc.conflicts.items():
            box = boxes[position]
            box.revision, box.newer_text, box.error = newer.revision, newer.text, str(exc)
        numbers = ", ".join(str(p) for p in exc.conflicts)
        messages.warning(
            request,
            f"Nothing was saved: question {numbers} was changed in another tab or device. This tab's text is "
            "still in its box: load the newer text, or save again to keep this one.",
        )
        return _render_interview(request, attempt, now, boxes=boxes, status=409)
    except DeadlinePassedError as exc:
        messages.error(request, str(exc))
        return redirect("practice:interview_review", attempt.pk)
    messages.success(request, f"Saved {saved} answer{pluralize(saved)}.")
    return redirect("practice:interview", attempt.pk)


@login_required
@require_POST
def interview_save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave of one answer (JSON), compare-and-set on the revision the tab last saw.

    409 with "conflict" when another tab or device stored a newer revision (with that text and revision, so
    the tab can offer to load it or to overwrite it); 409 with "ended" once the deadline and grace are over.
    """
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    form = InterviewAnswerForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return JsonResponse({"ok": False, "error": error}, status=400)
    draft = form.draft()
    now = timezone.now()
    try:
        result = services.interview_save_answer(
            attempt=attempt,
            position=draft.position,
            text=draft.text,
            revision=draft.revision,
            tab=form.cleaned_data["tab"],
            now=now,
        )
    except services.AnswerConflictError as exc:
        newer = exc.answer
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "error": str(exc),
                "revision": newer.revision,
                "text": newer.text,
                "savedAt": newer.answered_at.isoformat(),
            },
            status=409,
        )
    except DeadlinePassedError as exc:
        # The refused save rolled back its transaction: the interview is finished in a transaction of its own.
        services.interview_finish(attempt=attempt, now=now)
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


def _excerpt(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@login_required
@require_POST
def interview_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Finish, with the text of every box as posted (the page also submits itself here at 00:00)."""
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    now = timezone.now()
    form = _answers_form(request, attempt)
    if not form.is_valid():
        if attempt.accepts_saves(now):
            return _invalid_answers(request, attempt, form, now)
        drafts = []  # too late to correct anything: finish with what is stored, and say so below
    else:
        drafts = form.drafts()
    data = form.cleaned_data
    result = services.interview_submit(
        attempt=attempt, drafts=drafts, tab=data.get("tab", ""), by_clock=data.get("clock", False), now=now
    )
    for unsaved in result.unsaved:
        if unsaved.reason == services.Unsaved.CONFLICT:
            why = "was changed in another tab or device, so the review keeps that newer text"
        else:
            why = "arrived after the interview had ended"
        messages.warning(
            request,
            f"Your text for question {unsaved.position} {why}; this tab's version was not stored. "
            f"Here it is, to copy: “{_excerpt(unsaved.text)}”",
        )
    if result.attempt.is_finished:
        return redirect("practice:interview_review", attempt.pk)
    return redirect("home")  # abandoned in another tab


@login_required
def interview_review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk, Kind.INTERVIEW)
    now = timezone.now()
    attempt = services.interview_close_if_due(attempt=attempt, now=now)
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
    return render(
        request,
        "practice/interview_review.html",
        {"attempt": attempt, "items": progress.interview_review_items(attempt), "ratings": SelfRating.choices},
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
        "calendar_html": progress.calendar_html(progress.calendar(daily, today)),
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
    now = timezone.now()
    services.close_expired_interviews(now=now, user=request.user)
    history = Attempt.objects.for_user(request.user).prefetch_related("tags").order_by("-started_at", "-id")
    if kind:
        history = history.filter(kind=kind)
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _progress_context(request.user, now)
    context.update(
        page=page,
        kind=kind,
        kinds=[(Kind.QUIZ, "Quizzes"), (Kind.INTERVIEW, "Mock interviews")],
        retention=review_queries.retention(request.user, now),
    )
    return render(request, "practice/progress.html", context)


@login_required
def progress_export(request: HttpRequest) -> StreamingHttpResponse:
    services.close_expired_interviews(now=timezone.now(), user=request.user)
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
