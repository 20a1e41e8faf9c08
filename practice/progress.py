"""Progress figures, from a few aggregate queries over stored scores.

The figures are computed per day in the database (one query); everything after that loops over days,
never over attempts.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Sum
from django.db.models.functions import TruncDate
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from questions.models import Choice, Question, Tag

from .models import Attempt, AttemptItem, Kind, QuestionStat, question_score

MOVING_AVERAGE_DAYS = 7
CALENDAR_WEEKS = 12


def user_zone(user) -> zoneinfo.ZoneInfo:
    return user.zone


def daily_stats(user) -> list[dict]:
    """Per day (in the user's zone) and kind: finished attempts, score sum, answered, correct, time spent."""
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    return list(
        Attempt.objects.for_user(user)
        .finished()
        .annotate(day=TruncDate("finished_at", tzinfo=user_zone(user)))
        .values("day", "kind")
        .annotate(
            attempts=Count("id"),
            score_sum=Sum("score"),
            answered=Sum("answered_count"),
            correct=Sum("correct_count"),
            time=Sum(duration),
        )
        .order_by("day", "kind")
    )


def chart_points(user) -> dict[str, list]:
    """One point per finished attempt: [timestamp in ms, score]."""
    rows = Attempt.objects.for_user(user).finished().order_by("finished_at").values_list("kind", "finished_at", "score")
    points: dict[str, list] = {Kind.QUIZ: [], Kind.INTERVIEW: []}
    for kind, finished_at, score in rows:
        points[kind].append([int(finished_at.timestamp() * 1000), round(score, 1)])
    return points


def chart_axis(timestamps: list[int], zone) -> dict:
    """The chart's time axis in the candidate's zone: whole days, one tick per day at local noon (ms).

    Chart.js has no time axis without a date adapter; a linear axis of milliseconds put ticks every few hours, so
    "1 Dec" was written ten times when attempts shared a day.
    """
    if not timestamps:
        return {"xMin": None, "xMax": None, "days": []}
    first, last = (datetime.fromtimestamp(ms / 1000, zone).date() for ms in (min(timestamps), max(timestamps)))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def at(day, hour: int) -> int:
        return int(datetime.combine(day, datetime.min.time(), zone).replace(hour=hour).timestamp() * 1000)

    return {
        "xMin": at(first, 0),
        "xMax": int(datetime.combine(last + timedelta(days=1), datetime.min.time(), zone).timestamp() * 1000),
        "days": [at(day, 12) for day in days],
    }


def moving_averages(daily: list[dict], zone) -> dict[str, list]:
    """Per kind, for each day with attempts: the average score of the last 7 days (that day included)."""
    result: dict[str, list] = {Kind.QUIZ: [], Kind.INTERVIEW: []}
    for kind in result:
        days = [row for row in daily if row["kind"] == kind]
        for n, row in enumerate(days):
            window = [r for r in days[: n + 1] if (row["day"] - r["day"]).days < MOVING_AVERAGE_DAYS]
            total = sum(r["score_sum"] for r in window)
            count = sum(r["attempts"] for r in window)
            noon = datetime.combine(row["day"], datetime.min.time(), zone) + timedelta(hours=23, minutes=59)
            result[kind].append([int(noon.timestamp() * 1000), round(total / count, 1)])
    return result


@dataclass
class Totals:
    attempts: int
    quizzes: int
    interviews: int
    answered: int
    quiz_answered: int
    correct: int
    time: timedelta
    quiz_average: float | None
    interview_average: float | None

    @property
    def accuracy(self) -> float | None:
        return 100 * self.correct / self.quiz_answered if self.quiz_answered else None


def totals(daily: list[dict]) -> Totals:
    def total(key, kind=None):
        return sum((r[key] or 0) for r in daily if kind is None or r["kind"] == kind)

    quizzes, interviews = total("attempts", Kind.QUIZ), total("attempts", Kind.INTERVIEW)
    return Totals(
        attempts=quizzes + interviews,
        quizzes=quizzes,
        interviews=interviews,
        answered=total("answered"),
        quiz_answered=total("answered", Kind.QUIZ),
        correct=total("correct", Kind.QUIZ),
        time=sum((r["time"] or timedelta() for r in daily), timedelta()),
        quiz_average=total("score_sum", Kind.QUIZ) / quizzes if quizzes else None,
        interview_average=total("score_sum", Kind.INTERVIEW) / interviews if interviews else None,
    )


@dataclass
class Streak:
    current: int
    longest: int
    active_today: bool


def streak(days: list[date], today: date) -> Streak:
    """Consecutive days with a finished attempt. The current streak survives until a whole day is missed."""
    unique = sorted(set(days))
    longest = run = 0
    previous = None
    for day in unique:
        run = run + 1 if previous and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day_set = set(unique)
    cursor = today if today in day_set else today - timedelta(days=1)
    while cursor in day_set:
        current += 1
        cursor -= timedelta(days=1)
    return Streak(current=current, longest=longest, active_today=today in day_set)


def calendar(daily: list[dict], today: date) -> list[dict]:
    """The last 12 weeks, Monday-aligned columns, with an activity level 0-3 per day."""
    counts: dict[date, int] = {}
    for row in daily:
        counts[row["day"]] = counts.get(row["day"], 0) + row["attempts"]
    start = today - timedelta(days=today.weekday() + 7 * (CALENDAR_WEEKS - 1))
    cells = []
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        n = counts.get(day, 0)
        cells.append({"day": day, "count": n, "level": 0 if n == 0 else 1 if n == 1 else 2 if n <= 3 else 3})
    return cells


def calendar_html(cells: list[dict]) -> str:
    """The calendar's 84 cells as HTML, built here: as a template loop with a date filter per cell they cost
    the dashboard and the progress page several milliseconds each (bench/results.md)."""
    return format_html_join(
        "",
        '<span class="level-{}" title="{} {} {}: {} finished"></span>',
        ((c["level"], f"{c['day']:%a}", c["day"].day, f"{c['day']:%b}", c["count"]) for c in cells),
    )


# One small grouped pass over the candidate's stored per-question aggregates (QuestionStat: at most one row per
# question, whatever the history's size), joined to every tag so topics never practised are listed too.
MASTERY_SQL = """
SELECT t.name, t.slug, COALESCE(s.seen, 0), COALESCE(s.quiz_answered, 0), COALESCE(s.quiz_correct, 0),
       CASE WHEN s.interview_items > 0 THEN s.coverage_sum / s.interview_items END,
       (SELECT COUNT(*) FROM {question_tags} pt JOIN {question} q ON q.id = pt.question_id
        WHERE pt.tag_id = t.id AND q.is_published) AS available
FROM {tag} t
LEFT JOIN (
    SELECT qt.tag_id,
           COUNT(*) AS seen,
           SUM(st.quiz_answered) AS quiz_answered,
           SUM(st.quiz_correct) AS quiz_correct,
           SUM(st.interview_items) AS interview_items,
           SUM(st.coverage_sum) AS coverage_sum
    FROM {stat} st
    JOIN {question_tags} qt ON qt.question_id = st.question_id
    WHERE st.user_id = %(user)s
    GROUP BY qt.tag_id
) s ON s.tag_id = t.id
ORDER BY t.name
"""


def mastery(user) -> list[dict]:
    """Per tag: questions seen, quiz accuracy, average interview coverage; weakest practised topics first."""
    sql = MASTERY_SQL.format(
        tag=Tag._meta.db_table,
        stat=QuestionStat._meta.db_table,
        question_tags=Question.tags.through._meta.db_table,
        question=Question._meta.db_table,
    )
    params = {"user": user.pk}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result = []
    for name, slug, seen, answered, correct, coverage, available in rows:
        accuracy = 100 * correct / answered if answered else None
        coverage = 100 * coverage if coverage is not None else None
        measures = [m for m in (accuracy, coverage) if m is not None]
        result.append(
            {
                "name": name,
                "slug": slug,
                "seen": seen,
                "available": available,
                "quiz_length": min(user.quiz_length, available),
                "quiz_answered": answered,
                "accuracy": accuracy,
                "coverage": coverage,
                "mastery": sum(measures) / len(measures) if measures else None,
            }
        )
    # Weakest practised topics first; topics never practised after them.
    result.sort(key=lambda r: (r["mastery"] is None, r["mastery"] or 0, r["name"]))
    return result


def local_today(user, now: datetime) -> date:
    return now.astimezone(user_zone(user)).date()


def quiz_result_items(attempt: Attempt) -> tuple[list[AttemptItem], int]:
    """The items of an ended quiz in order, each with its `choices_shown` (every choice with its explanation, in the
    order the candidate saw them; a choice added later goes last), and how many were not answered right (wrong or
    unanswered), in two queries: items with answers and questions, then the choices."""
    items = list(
        attempt.items.select_related("answer", "question")
        .prefetch_related(Prefetch("question__choices", queryset=Choice.objects.order_by("id")))
        .order_by("position")
    )
    wrong = 0
    for item in items:
        position = {pk: n for n, pk in enumerate(item.choice_order)}
        item.choices_shown = sorted(item.question.choices.all(), key=lambda c: position.get(c.pk, len(position)))
        answer = getattr(item, "answer", None)
        wrong += not (answer and answer.is_correct)
    return items, wrong


@dataclass
class PointRow:
    """A key point on the review: its status in the automatic hint and the answer's sentence that decided it."""

    text: str
    status: str  # covered, missing or contradicted (practice.scoring.Status)
    sentence: str = ""

    @property
    def label(self) -> str:
        return {"covered": "Covered", "contradicted": "Possibly contradicted"}.get(self.status, "Not covered")


@dataclass
class ReviewItem:
    """One question of a finished interview as the review shows it: the answer beside what it covered."""

    position: int
    question: Question
    answer: object  # the Answer, or None when nothing was saved
    points: list  # PointRow, in the key points' order
    misconceptions: list  # dicts: misconception, why, sentence

    @property
    def hit(self) -> list:
        return [p for p in self.points if p.status == "covered"]

    @property
    def points_total(self) -> int:
        return len(self.points)

    @property
    def coverage_percent(self) -> int:
        return round(100 * (self.answer.coverage or 0)) if self.answer else 0

    @property
    def score_percent(self) -> int:
        return round(100 * question_score(self.answer.coverage, self.answer.self_rating)) if self.answer else 0

    @property
    def marked_answer(self) -> SafeString:
        """The answer escaped, with each sentence that decided a key point or a flag marked."""
        text = self.answer.text if self.answer else ""
        decided = [p.sentence for p in self.points if p.sentence] + [m["sentence"] for m in self.misconceptions]
        spans = sorted({(text.find(s), text.find(s) + len(s)) for s in decided if s and text.find(s) >= 0})
        out, pos = [], 0
        for start, end in spans:
            if start < pos:
                continue
            out += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
            pos = end
        out.append(escape(text[pos:]))
        return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped


def _point_rows(answer, points) -> list[PointRow]:
    evidence = {row.get("id"): row for row in (answer.feedback or {}).get("key_points", [])} if answer else {}
    covered = set(answer.covered_points) if answer else set()
    rows = []
    for point in points:
        row = evidence.get(point.pk)
        if row is not None:
            rows.append(PointRow(point.text, row.get("status", "missing"), row.get("sentence", "")))
        else:  # scored before the evidence was stored
            rows.append(PointRow(point.text, "covered" if point.pk in covered else "missing"))
    return rows


def interview_review_items(attempt: Attempt) -> list[ReviewItem]:
    """The review's rows in two queries: the items with answers and questions, then their key points."""
    items = attempt.items.select_related("answer", "question").prefetch_related("question__key_points")
    rows = []
    for item in items.order_by("position"):
        answer = getattr(item, "answer", None)
        rows.append(
            ReviewItem(
                position=item.position,
                question=item.question,
                answer=answer,
                points=_point_rows(answer, item.question.key_points.all()),
                misconceptions=list((answer.feedback or {}).get("misconceptions", [])) if answer else [],
            )
        )
    return rows
