"""The candidate's history as CSV: one row per attempt and one per answer, with a row-kind column.

Times are in the candidate's own time zone, named in the header of every time column."""

import csv
import re
from collections.abc import Iterator

from .models import Answer, Attempt, Kind

HEADER = [
    "row",
    "attempt_id",
    "kind",
    "status",
    "started_at",
    "finished_at",
    "duration_seconds",
    "topics",
    "difficulty",
    "question_count",
    "score",
    "correct_count",
    "position",
    "question_id",
    "question",
    "answer",
    "is_correct",
    "coverage",
    "self_rating",
    "answered_at",
]
# A formula character at the start of the text (after any spaces, tabs or line breaks), or at the start of a
# `,` or `;` separated part of it: spreadsheets in some locales split on `;`, so any part can become a cell.
_FORMULA = re.compile(r"(?:^|[,;])\s*[=+\-@]|^[\t\r\n]")


def safe(value) -> str:
    """Neutralise spreadsheet formulas (OWASP's CSV injection guidance): such a text cell gets a leading quote.

    Every cell is also written quoted (csv.QUOTE_ALL), so a separator inside a value stays inside its cell.
    """
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and _FORMULA.search(text):
        return "'" + text
    return text


TIME_COLUMNS = ("started_at", "finished_at", "answered_at")


def header(zone_name: str) -> list[str]:
    """The column names; each time column says its zone, as in `started_at (Asia/Kolkata)`."""
    return [f"{name} ({zone_name})" if name in TIME_COLUMNS else name for name in HEADER]


class _Echo:
    def write(self, value: str) -> str:
        return value


def history_csv_rows(user) -> Iterator[str]:
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    # The zone is the user's own, not the active one: a streamed body is written after the middleware returned.
    zone = user.zone

    def local(moment):
        return moment.astimezone(zone).isoformat() if moment else None

    yield "\ufeff" + writer.writerow(header(str(zone)))
    attempts = Attempt.objects.for_user(user).prefetch_related("tags").order_by("started_at", "id")
    for a in attempts.iterator(chunk_size=500):
        duration = int(a.duration.total_seconds()) if a.duration else None
        yield writer.writerow(
            [
                safe(v)
                for v in (
                    "attempt",
                    a.pk,
                    a.kind,
                    a.status,
                    local(a.started_at),
                    local(a.finished_at),
                    duration,
                    a.topics_label,
                    a.difficulty,
                    a.question_count,
                    a.score,
                    a.correct_count,
                )
            ]
            + [""] * (len(HEADER) - 12)
        )
    answers = (
        Answer.objects.filter(item__attempt__user=user)
        .select_related("item__attempt", "item__question")
        .order_by("item__attempt__started_at", "item__attempt_id", "item__position")
    )
    for ans in answers.iterator(chunk_size=1000):
        item = ans.item
        text = ans.choice_text if item.attempt.kind == Kind.QUIZ else ans.text
        yield writer.writerow(
            [safe(v) for v in ("answer", item.attempt_id, item.attempt.kind)]
            + [""] * 9
            + [
                safe(v)
                for v in (
                    item.position,
                    item.question_id,
                    item.question.prompt,
                    text,
                    ans.is_correct,
                    ans.coverage,
                    ans.self_rating,
                    local(ans.answered_at),
                )
            ]
        )
