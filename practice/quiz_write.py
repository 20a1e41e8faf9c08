"""The writes of one quiz answer as one PostgreSQL statement (data-modifying CTEs).

An answer changes five rows: the answer itself, the candidate's aggregate of the question (QuestionStat), the
review card and its log, and, for the last answer, the attempt's stored result. Sent one by one they cost five
round trips, most of an answer's time (bench/results.md). Here they go as one statement: the answer's INSERT
... ON CONFLICT DO NOTHING comes first and every other write runs only if it stored a row, so a repeat changes
nothing. The card is written only if it is still as the caller read it (the same review count): when a review
elsewhere changed it meanwhile, `card_id` comes back None and the caller schedules the card the slow way.

Column lists and values come from the models' fields, so a new field cannot be forgotten here. Other databases
(SQLite) save the same rows with the ORM (practice.services).
"""

from functools import cache

from django.db import connection
from django.db.models import Model

from reviews.models import Card, ReviewLog

from .models import Answer, Attempt, QuestionStat


@cache
def _layout(model: type[Model], skip: tuple[str, ...]) -> tuple[list, list[str], list[str]]:
    """A model's fields to write, their quoted columns and typed placeholders (a SELECT list does not take the
    column types): the same for every answer, so worked out once."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in skip]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    return fields, columns, [f"CAST(%s AS {f.db_type(connection)})" for f in fields]


def _columns(obj: Model, skip: tuple[str, ...] = ()) -> tuple[list[str], list[str], list]:
    """The columns of a row to insert or update, typed placeholders and the values as the adapter wants them."""
    fields, columns, placeholders = _layout(type(obj), skip)
    return columns, placeholders, [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]


def store_quiz_answer(
    *, answer: Answer, card: Card, log: ReviewLog, reps_before: int | None, finished: Attempt | None
) -> tuple[int | None, int | None]:
    """Store the answer and what it changes; returns (answer id, card id), None for what was not written.

    `card` and `log` are already scheduled (reviews.services.apply_review); `reps_before` is the card's review
    count as read (None: no card existed). `finished` is the attempt with its result set, for the last answer.
    """
    qn = connection.ops.quote_name
    params: list = []

    answer_columns, placeholders, values = _columns(answer)
    params += values
    parts = [
        f"answer AS (INSERT INTO {qn(Answer._meta.db_table)} ({', '.join(answer_columns)}) "  # noqa: S608 (names from the models, values as parameters)
        f"VALUES ({', '.join(placeholders)}) ON CONFLICT ({qn('item_id')}) DO NOTHING RETURNING id)"
    ]

    stat = qn(QuestionStat._meta.db_table)
    parts.append(
        f"stat AS (UPDATE {stat} SET quiz_answered = {stat}.quiz_answered + 1, "  # noqa: S608 (names from the models, values as parameters)
        f"quiz_correct = {stat}.quiz_correct + %s WHERE user_id = %s AND question_id = %s "
        "AND EXISTS (SELECT 1 FROM answer))"
    )
    params += [int(bool(answer.is_correct)), card.user_id, card.question_id]

    card_table = qn(Card._meta.db_table)
    card_columns, placeholders, values = _columns(card)
    if reps_before is None:
        parts.append(
            f"card AS (INSERT INTO {card_table} ({', '.join(card_columns)}) "  # noqa: S608 (names from the models, values as parameters)
            f"SELECT {', '.join(placeholders)} WHERE EXISTS (SELECT 1 FROM answer) "
            "ON CONFLICT DO NOTHING RETURNING id)"
        )
        params += values
    else:
        assignments = ", ".join(f"{column} = {cast}" for column, cast in zip(card_columns, placeholders, strict=True))
        parts.append(
            f"card AS (UPDATE {card_table} SET {assignments} WHERE id = %s AND reps = %s "  # noqa: S608 (names from the models, values as parameters)
            "AND EXISTS (SELECT 1 FROM answer) RETURNING id)"
        )
        params += [*values, card.pk, reps_before]

    log_columns, placeholders, values = _columns(log, skip=("card_id",))
    parts.append(
        f"log AS (INSERT INTO {qn(ReviewLog._meta.db_table)} ({qn('card_id')}, {', '.join(log_columns)}) "  # noqa: S608 (names from the models, values as parameters)
        f"SELECT card.id, {', '.join(placeholders)} FROM card)"
    )
    params += values

    if finished is not None:
        result_fields = ["status", "finished_at", "score", "correct_count", "answered_count", "end_reason"]
        fields = [finished._meta.get_field(name) for name in result_fields]
        assignments = ", ".join(f"{qn(f.column)} = CAST(%s AS {f.db_type(connection)})" for f in fields)
        parts.append(
            f"attempt AS (UPDATE {qn(Attempt._meta.db_table)} SET {assignments} WHERE id = %s "  # noqa: S608 (names from the models, values as parameters)
            "AND EXISTS (SELECT 1 FROM answer))"
        )
        params += [f.get_db_prep_save(getattr(finished, f.attname), connection) for f in fields] + [finished.pk]

    sql = "WITH " + ", ".join(parts) + " SELECT (SELECT id FROM answer), (SELECT id FROM card)"  # noqa: S608 (names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
