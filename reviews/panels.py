"""What other apps' pages show of the candidate's review state: the question page's panel, the question list's
filters and columns. Small functions the questions views call, so those views stay the bank's."""

from datetime import datetime
from functools import lru_cache

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from questions.markdown import render_markdown

from . import queries, scheduling
from .models import Card, Rating

# The panel's forms, each posting to reviews:question_<action>.
PANEL_ACTIONS = ("add", "rate", "note", "bookmark")
PANEL_DATE_FORMAT = "D j M Y, H:i"


def rating_buttons(card: Card | None, now: datetime, desired_retention: float) -> SafeString:
    """The four buttons with the interval each would schedule, as Anki shows them ("10 min", "3 days"), as HTML."""
    intervals = scheduling.preview(card, now, desired_retention)
    return _rating_buttons_html(tuple(scheduling.interval_label(interval) for interval in intervals.values()))


@lru_cache(maxsize=1024)
def _rating_buttons_html(interval_labels: tuple[str, ...]) -> SafeString:
    """The buttons' HTML depends on nothing but the four labels, and few sets of labels occur: rendered once per
    set and process (the loop's template lookups were a third of the question page's review panel)."""
    buttons = [
        {"value": rating.value, "label": rating.label, "interval": label}
        for rating, label in zip(Rating, interval_labels, strict=True)
    ]
    return render_to_string("reviews/_rating_buttons.html", {"buttons": buttons})


@lru_cache(maxsize=4096)
def _panel_urls(question_id: int, script_prefix: str) -> dict[str, str]:
    """Where the panel's forms post, reversed once per question and process."""
    return {action: reverse(f"reviews:question_{action}", args=[question_id]) for action in PANEL_ACTIONS}


# The question page's review panel. Written with format_html rather than a template: it is on the most visited
# page, and its forty-odd template nodes cost more CPU than the rest of that page's own content (bench/results.md).
# Values are escaped by format_html; the SafeString pieces below are fixed markup or already escaped.
PANEL_HTML = """<section class="card mb-4" id="my-review" aria-labelledby="my-review-title">
  <div class="card-body">
    <div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2">
      <h2 id="my-review-title" class="h5 mb-0">Your review</h2>
      <form method="post" action="{bookmark_url}">
        {csrf}
        {bookmark}
      </form>
    </div>
    <p class="mt-2 mb-3" id="my-review-state">{state}</p>
    {add}<form method="post" action="{rate_url}" class="mb-4">
      {csrf}
      <input type="hidden" name="reps" value="{reps}">
      <p class="small text-body-secondary mb-2">Revealed the answer? Rate your recall to schedule the next review.</p>
      {buttons}
    </form>
    <h3 class="h6" id="my-note">Your private note</h3>
    {note_html}<details{details_open}>
      <summary class="small">{summary}</summary>
      <form method="post" action="{note_url}" class="mt-2" novalidate>
        {csrf}
        <label class="form-label" for="note-text">Your private note</label>
        <textarea class="form-control" id="note-text" name="text" rows="5" maxlength="5000"
          aria-describedby="note-help">{note}</textarea>
        <p class="form-text" id="note-help">Markdown, at most 5,000 characters. Only you can see it.</p>
        <button type="submit" class="btn btn-sm btn-primary">Save note</button>
      </form>
    </details>
  </div>
</section>
"""
BOOKMARKED = mark_safe(
    '<input type="hidden" name="starred" value="0">\n        <button type="submit" class="btn btn-sm btn-warning" '
    'aria-pressed="true"><span aria-hidden="true">\u2605</span> Bookmarked</button>'
)
NOT_BOOKMARKED = mark_safe(
    '<input type="hidden" name="starred" value="1">\n        <button type="submit" class="btn btn-sm '
    'btn-outline-secondary" aria-pressed="false"><span aria-hidden="true">\u2606</span> Bookmark</button>'
)
ADD_HTML = """<form method="post" action="{url}" class="mb-3">
      {csrf}
      <button type="submit" class="btn btn-outline-primary">Add to my reviews</button>
    </form>
    """


def _card_state(card: Card | None, is_due: bool, now: datetime, zone) -> str:
    """The panel's one-line account of the card: none, new, or its state, next review and last result."""
    if card is None:
        return "Not in your reviews yet."
    if card.is_new:
        return "New: waiting in your review queue."
    when = "due now" if is_due else f"next review {dateformat.format(card.due.astimezone(zone), PANEL_DATE_FORMAT)}"
    ago = f" ({timesince(card.last_review, now)} ago)" if card.last_review else ""
    return f"{card.get_state_display()}, {when}. Last result: {card.get_last_rating_display()}{ago}."


def question_panel(request: HttpRequest, question_id: int, now: datetime, csrf_token: str) -> SafeString:
    """The signed-in candidate's "Your review" panel of a question (bookmark, card state, add, rate, note): one
    query, which also counts what the navigation shows as due. The page's CSRF token goes in each form."""
    user = request.user
    state = queries.question_state_for_request(request, question_id, now)
    _start, day_end = queries.day_bounds(user, now)
    card = state.card
    urls = _panel_urls(question_id, get_script_prefix())
    note_html = ""
    if state.note:
        rendered = mark_safe(render_markdown(state.note))  # noqa: S308 - sanitised by nh3 in render_markdown
        note_html = format_html('<div class="prose note-text mb-2">{}</div>\n    ', rendered)
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    return format_html(
        PANEL_HTML,
        bookmark_url=urls["bookmark"],
        csrf=csrf,
        bookmark=BOOKMARKED if state.starred else NOT_BOOKMARKED,
        state=_card_state(card, bool(card and card.is_due(now=now, day_end=day_end)), now, user.zone),
        add=format_html(ADD_HTML, url=urls["add"], csrf=csrf) if card is None else "",
        rate_url=urls["rate"],
        reps=card.reps if card else 0,
        buttons=rating_buttons(card, now, user.desired_retention),
        note_html=note_html,
        details_open="" if state.note else mark_safe(" open"),
        summary="Edit your note" if state.note else "Write a note",
        note_url=urls["note"],
        note=state.note,
    )


def _mine(request: HttpRequest) -> str:
    mine = request.GET.get("mine", "")
    return mine if mine in queries.PERSONAL_FILTERS else ""


def personal_filter(request: HttpRequest, questions: QuerySet | list, now: datetime) -> QuerySet | list:
    """The question list's ?mine= filter (unseen, due, wrong last time, bookmarked, with notes).

    A queryset is filtered in its own SQL (no query of its own); a list (ranked search results) is filtered with
    one query, and only when a filter is chosen. Visitors and unknown values filter nothing.
    """
    mine = _mine(request)
    if not request.user.is_authenticated or not mine:
        return questions
    if isinstance(questions, QuerySet):
        return queries.personal_questions(questions, request.user, mine, now)
    keep = queries.personal_ids(request.user, [q.pk for q in questions], mine, now)
    return [q for q in questions if q.pk in keep]


def personal_state(request: HttpRequest, page, now: datetime) -> dict:
    """The candidate's state of each question on the page (my_state, my_is_due, my_due, my_last_rating,
    my_starred, my_note set on each), in one query, and what the list's include templates need."""
    if not request.user.is_authenticated:
        return {}
    questions = list(page.object_list)
    if questions:
        states = queries.states_of(request.user, [q.pk for q in questions], now)
        for question in questions:
            for name, value in states.get(question.pk, queries.NO_STATE).items():
                setattr(question, name, value)
    mine = request.GET.get("mine", "")
    return {
        "mine": _mine(request),
        "mine_invalid": bool(mine) and not _mine(request),
        "mine_label": queries.PERSONAL_FILTERS.get(mine, ""),
        "filters": queries.PERSONAL_FILTERS,
    }
