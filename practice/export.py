"""The candidate's history as CSV: one row per attempt and one per answer, with a row-kind column."""

import csv
import re
from collections.abc import Iterator

from .models import Answer, Attempt

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


class _Echo:
    def write(self, value: str) -> str:
        return value


def history_csv_rows(user) -> Iterator[str]:
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield "\ufeff" + writer.writerow(HEADER)
    attempts = Attempt.objects.for_user(user).order_by("started_at", "id")
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
                    a.started_at.isoformat(),
                    a.finished_at.isoformat() if a.finished_at else None,
                    duration,
                    a.topics or "All",
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
        text = ans.choice_text if item.attempt.kind == "quiz" else ans.text
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
                    ans.answered_at.isoformat(),
                )
            ]
        )
