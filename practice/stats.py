"""Upkeep of the stored per-candidate, per-question aggregates (QuestionStat) behind the mastery table.

Every change goes through one statement, inside the caller's transaction:
- an attempt starts: its questions count as seen (a row each, created if missing);
- a quiz answer is stored: answered and correct go up by one;
- an interview ends: each of its items adds one to interview_items and its coverage to coverage_sum.
rebuild() recomputes the rows from the attempts themselves (data migration, demo seeding, repairs); a test
checks that the kept rows always equal a rebuild.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from .models import Answer, Attempt, AttemptItem, Kind, QuestionStat, Status

REBUILD_SQL = """
INSERT INTO {stat} (user_id, question_id, quiz_answered, quiz_correct, interview_items, coverage_sum)
SELECT a.user_id, i.question_id,
       SUM(CASE WHEN a.kind = %(quiz)s AND ans.id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.kind = %(quiz)s AND ans.is_correct THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.kind = %(interview)s AND a.status = %(finished)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.kind = %(interview)s AND a.status = %(finished)s THEN COALESCE(ans.coverage, 0) ELSE 0 END)
FROM {item} i
JOIN {attempt} a ON a.id = i.attempt_id
LEFT JOIN {answer} ans ON ans.item_id = i.id
{where}
GROUP BY a.user_id, i.question_id
"""

INTERVIEW_SQL = """
UPDATE {stat} SET interview_items = {stat}.interview_items + 1,
                  coverage_sum = {stat}.coverage_sum + COALESCE(ans.coverage, 0)
FROM {item} i
LEFT JOIN {answer} ans ON ans.item_id = i.id
WHERE i.attempt_id = %(attempt)s AND {stat}.user_id = %(user)s AND {stat}.question_id = i.question_id
"""


def _tables(stat=QuestionStat, item=AttemptItem, attempt=Attempt, answer=Answer) -> dict:
    return {
        "stat": stat._meta.db_table,
        "item": item._meta.db_table,
        "attempt": attempt._meta.db_table,
        "answer": answer._meta.db_table,
    }


def record_seen(user_id: int, question_ids: Iterable[int]) -> None:
    QuestionStat.objects.bulk_create(
        [QuestionStat(user_id=user_id, question_id=pk) for pk in question_ids], ignore_conflicts=True
    )


def record_quiz_answer(user_id: int, question_id: int, correct: bool) -> None:
    QuestionStat.objects.filter(user_id=user_id, question_id=question_id).update(
        quiz_answered=F("quiz_answered") + 1, quiz_correct=F("quiz_correct") + int(bool(correct))
    )


def record_interview_finished(attempt: Attempt) -> None:
    with connection.cursor() as cursor:
        cursor.execute(INTERVIEW_SQL.format(**_tables()), {"attempt": attempt.pk, "user": attempt.user_id})


def forget(user_id: int) -> None:
    QuestionStat.objects.filter(user_id=user_id).delete()


def rebuild(user_ids: list[int] | None = None, *, models: dict | None = None) -> None:
    """Recompute the rows of these candidates (all when None) from their attempts.

    `models` lets a data migration pass its historical models.
    """
    tables = _tables(**(models or {}))
    params = {"quiz": Kind.QUIZ.value, "interview": Kind.INTERVIEW.value, "finished": Status.FINISHED.value}
    where = ""
    if user_ids is not None:
        names = [f"u{n}" for n in range(len(user_ids))]
        params.update(zip(names, user_ids, strict=True))
        where = "WHERE a.user_id IN ({})".format(", ".join(f"%({name})s" for name in names) or "NULL")
    with connection.cursor() as cursor:
        # Table names come from the models, values are parameters (works on PostgreSQL and SQLite).
        cursor.execute(f"DELETE FROM {tables['stat']} " + where.replace("a.user_id", "user_id"), params)  # noqa: S608
        cursor.execute(REBUILD_SQL.format(where=where, **tables), params)
