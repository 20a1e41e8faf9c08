from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from reviews.panels import personal_filter, personal_state, question_panel

from . import cache as bank_cache
from .forms import QuestionFilterForm
from .models import Question, Tag
from .search import snippet
from .services import filtered_questions, question_ids, search_questions

PAGE_SIZE = 20


def _all_tags() -> list[Tag]:
    return list(Tag.objects.all())


def question_list(request: HttpRequest) -> HttpResponse:
    tags = bank_cache.cached(("tags",), _all_tags)
    form = QuestionFilterForm(request.GET, tags=tags)
    filters = form.filters()
    # The candidate's own filter (?mine=: unseen, due, bookmarked...) and state of each listed question (reviews).
    now = timezone.now()
    results = None
    if filters.get("q"):
        results = search_questions(**filters)
        page = Paginator(personal_filter(request, results.questions, now), PAGE_SIZE).get_page(request.GET.get("page"))
        by_id = {t.pk: t for t in tags}
        for question in page:
            question.tag_list = [by_id[int(pk)] for pk in (question.tag_ids or "").split(",") if int(pk) in by_id]
            question.snippet = snippet(question.answer, results.terms)
    else:
        questions = filtered_questions(tag=filters.get("tag", ""), difficulty=filters.get("difficulty", ""))
        questions = personal_filter(request, questions, now)
        page = Paginator(questions.prefetch_related("tags"), PAGE_SIZE).get_page(request.GET.get("page"))
        for question in page:
            question.tag_list = list(question.tags.all())
    return render(
        request,
        "questions/question_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "results": results,
            "tags": tags,
            "current_tag": next((t for t in tags if t.slug == filters.get("tag")), None),
            "personal": personal_state(request, page, now),
        },
    )


def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.user.is_staff

    def load() -> dict | bool:
        visible = Question.objects.all() if staff else Question.objects.published()
        found = visible.prefetch_related("tags", "sources", "key_points").filter(pk=pk).first()
        if found is None:
            return False  # False caches "not found" too
        # The article is the same for every candidate: cached rendered (a SafeString), it costs nothing to show again.
        html = render_to_string("questions/_question_article.html", {"question": found})
        return {
            "pk": found.pk,
            "prompt": found.prompt,
            "title": Truncator(found.prompt).chars(60),
            "is_published": found.is_published,
            "html": html,
        }

    # Previous and next within the filter the candidate came from (carried in the query string, as typed: it is
    # checked against the topics only when its list is computed). One cache round trip for both.
    raw = tuple((name, request.GET.get(name, "")) for name in QuestionFilterForm.base_fields)

    def load_ids() -> list[int]:
        return question_ids(**QuestionFilterForm(dict(raw), tags=_all_tags()).filters())

    question, ids = bank_cache.cached_many((("question", pk, staff), load), (("ids-as-typed", raw), load_ids))
    if not question:
        raise Http404("No such question.")
    previous_id = next_id = position = None
    if question["pk"] in ids:
        index = ids.index(question["pk"])
        position = index + 1
        previous_id = ids[index - 1] if index > 0 else None
        next_id = ids[index + 1] if index + 1 < len(ids) else None
    # The links keep the filter the candidate came from.
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    context = {
        "question": question,
        "list_url": reverse("questions:list") + suffix,
        "previous_url": reverse("questions:detail", args=[previous_id]) + suffix if previous_id else None,
        "next_url": reverse("questions:detail", args=[next_id]) + suffix if next_id else None,
        "position": position,
        "total": len(ids),
    }
    if request.user.is_authenticated:
        # One CSRF token for all the page's forms, the panel's and the navigation's: get_token() masks anew on
        # every call, 32 random draws each.
        context["csrf_token"] = get_token(request)
        # The candidate's card, bookmark and note (reviews app): one query, never cached with the bank.
        context["panel"] = question_panel(request, question["pk"], timezone.now(), context["csrf_token"])
    return render(request, "questions/question_detail.html", context)
