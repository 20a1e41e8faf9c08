import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from practice import progress, services
from practice.models import Attempt, Kind, Status
from tests.conftest import SESSION_QUERY
from tests.factories import QuestionFactory, TagFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def bank(db):
    cnn = TagFactory(slug="cnn", name="CNN")
    stats = TagFactory(slug="statistics", name="Statistics")
    TagFactory(slug="nlp", name="NLP")  # never practised
    return [QuestionFactory(tags=[cnn if n % 2 else stats]) for n in range(10)]


def finished_quiz(user, *, at: datetime, right: int, of: int = 4, tags=()):
    """A finished quiz answered at `at`, with `right` correct answers."""
    attempt = services.quiz_start(
        user=user,
        tags=list(tags),
        difficulty="any",
        question_count=of,
        feedback_mode="end",
        now=at - timedelta(minutes=5),
    )
    for n, item in enumerate(attempt.items.order_by("position")):
        choice = item.question.choices.filter(is_correct=n < right).first()
        services.quiz_answer(
            user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=at
        )
    attempt.refresh_from_db()
    return attempt


def finished_interview(user, *, at: datetime, text: str = "gradient", count: int = 3):
    attempt = services.interview_start(
        user=user, tags=[], difficulty="any", question_count=count, minutes=10, now=at - timedelta(minutes=6)
    )
    services.interview_save_answer(attempt=attempt, position=1, text=text, revision=1, now=at - timedelta(minutes=1))
    return services.interview_finish(attempt=attempt, now=at)


def chart_json(html: str) -> dict:
    return json.loads(html.split('id="chart-data" type="application/json">')[1].split("</script>")[0])


def test_empty_state_for_a_new_user(alice_client, bank):
    html = alice_client.get("/progress/").content.decode()
    assert "No attempts yet: start a quiz" in html
    assert "chart-data" not in html and "chart.umd" not in html
    assert "0 days" in html and "CNN" in html  # mastery lists every topic even before practice


def test_chart_data_for_a_known_history(alice_client, alice, bank):
    finished_quiz(alice, at=NOW - timedelta(days=2), right=2)  # 50%
    finished_quiz(alice, at=NOW - timedelta(days=1), right=4)  # 100%
    finished_interview(alice, at=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        html = alice_client.get("/progress/").content.decode()
    data = chart_json(html)
    assert [p[1] for p in data["quiz"]] == [50.0, 100.0]
    assert data["quiz"][0][0] == int((NOW - timedelta(days=2)).timestamp() * 1000)
    assert len(data["interview"]) == 1
    assert [p[1] for p in data["quizAverage"]] == [50.0, 75.0]
    assert "You finished 2 quizzes averaging 75%" in html
    assert "<canvas" in html and "chart.umd.min.js" in html
    assert "Show the chart data as a table" in html


def test_moving_average_uses_only_the_last_seven_days(alice):
    zone = progress.user_zone(alice)
    day = lambda n: (NOW + timedelta(days=n)).date()  # noqa: E731
    daily = [
        {"day": day(0), "kind": Kind.QUIZ, "attempts": 2, "score_sum": 100.0},
        {"day": day(3), "kind": Kind.QUIZ, "attempts": 1, "score_sum": 80.0},
        {"day": day(7), "kind": Kind.QUIZ, "attempts": 1, "score_sum": 20.0},
    ]
    averages = progress.moving_averages(daily, zone)[Kind.QUIZ]
    assert [p[1] for p in averages] == [50.0, round(180 / 3, 1), 50.0]  # day 7 drops day 0


def test_mastery_per_tag(alice, bob, bank):
    cnn = TagFactory(slug="cnn")
    finished_quiz(alice, at=NOW, right=1, of=2, tags=[cnn])
    finished_quiz(bob, at=NOW, right=2, of=2, tags=[cnn])  # bob's answers never count for alice
    rows = {row["slug"]: row for row in progress.mastery(alice)}
    assert rows["cnn"]["seen"] == 2 and rows["cnn"]["accuracy"] == 50
    assert rows["nlp"]["seen"] == 0 and rows["nlp"]["mastery"] is None
    order = [row["slug"] for row in progress.mastery(alice)]
    assert order.index("cnn") < order.index("nlp")  # practised topics first, weakest first


def test_mastery_includes_interview_coverage(alice, bank):
    finished_interview(alice, at=NOW, text="gradient and layer", count=3)
    rows = {row["slug"]: row for row in progress.mastery(alice)}
    covered = [row["coverage"] for row in rows.values() if row["coverage"] is not None]
    assert covered and max(covered) > 0


@pytest.mark.parametrize(
    ("zone", "finished", "today", "current", "longest"),
    [
        # Three consecutive UTC days, today included.
        ("UTC", ["2026-11-18T10:00", "2026-11-19T10:00", "2026-11-20T09:00"], "2026-11-20T12:00", 3, 3),
        # Nothing yet today: yesterday's streak still counts until the day ends.
        ("UTC", ["2026-11-18T10:00", "2026-11-19T10:00"], "2026-11-20T12:00", 2, 2),
        # A gap of a whole day breaks the current streak but not the longest.
        (
            "UTC",
            ["2026-11-14T10:00", "2026-11-15T10:00", "2026-11-16T10:00", "2026-11-19T10:00"],
            "2026-11-20T12:00",
            1,
            3,
        ),
        # 23:30 UTC on the 19th is already the 20th in Tokyo: two attempts, one Tokyo day.
        ("Asia/Tokyo", ["2026-11-19T15:30", "2026-11-19T23:30"], "2026-11-20T01:00", 1, 1),
        # The same two attempts are two different days in UTC.
        ("UTC", ["2026-11-19T15:30", "2026-11-20T00:30"], "2026-11-20T01:00", 2, 2),
        # In New York the 00:30 UTC attempt is still the 19th: one day.
        ("America/New_York", ["2026-11-19T15:30", "2026-11-20T00:30"], "2026-11-20T01:00", 1, 1),
    ],
)
def test_streaks_across_days_and_time_zones(alice_client, alice, bank, zone, finished, today, current, longest):
    alice.time_zone = zone
    alice.save()
    for stamp in finished:
        finished_quiz(alice, at=datetime.fromisoformat(stamp).replace(tzinfo=UTC), right=1)
    with time_machine.travel(datetime.fromisoformat(today).replace(tzinfo=UTC), tick=False):
        response = alice_client.get("/progress/")
    assert response.context["streak"].current == current
    assert response.context["streak"].longest == longest


def test_totals(alice, bank):
    finished_quiz(alice, at=NOW, right=3, of=4)
    finished_interview(alice, at=NOW)
    services.attempt_abandon(
        attempt=services.quiz_start(
            user=alice, tags=[], difficulty="any", question_count=2, feedback_mode="end", now=NOW
        ),
        now=NOW,
    )
    t = progress.totals(progress.daily_stats(alice))
    assert (t.attempts, t.quizzes, t.interviews) == (2, 1, 1)
    assert t.answered == 5 and t.accuracy == 75
    assert t.time == timedelta(minutes=11)


def test_history_lists_every_attempt_newest_first_paginated_and_filtered(alice_client, alice, bank):
    for n in range(27):
        finished_quiz(alice, at=NOW - timedelta(hours=n), right=1, of=1)
    finished_interview(alice, at=NOW + timedelta(minutes=1))
    services.quiz_start(
        user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=NOW + timedelta(minutes=2)
    )
    page1 = alice_client.get("/progress/")
    assert page1.context["page"].paginator.count == 29
    assert page1.context["page"].object_list[0].status == Status.ACTIVE
    assert "Resume" in page1.content.decode()
    assert len(alice_client.get("/progress/?page=2").context["page"].object_list) == 4
    interviews = alice_client.get("/progress/?kind=interview")
    assert interviews.context["page"].paginator.count == 1
    assert alice_client.get("/progress/?kind=bogus&page=zzz").status_code == 200


def test_csv_export_content_and_escaping(alice_client, alice, bank):
    attempt = finished_interview(alice, at=NOW, text='=HYPERLINK("http://evil")')
    finished_quiz(alice, at=NOW, right=1, of=2)
    response = alice_client.get("/progress/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["row"] for r in rows].count("attempt") == 2
    assert [r["row"] for r in rows].count("answer") == 3
    evil = next(r for r in rows if r["row"] == "answer" and r["attempt_id"] == str(attempt.pk))
    assert evil["answer"] == '\'=HYPERLINK("http://evil")'
    quiz_row = next(r for r in rows if r["row"] == "attempt" and r["kind"] == "quiz")
    assert (quiz_row["score"], quiz_row["correct_count"], quiz_row["status"]) == ("50.0", "1", "finished")


def test_csv_escapes_every_formula_start():
    from practice.export import safe

    for start in ("=", "+", "-", "@"):
        assert safe(f"{start}1+2") == f"'{start}1+2"
    assert safe(-3) == "-3"  # numbers stay numbers
    assert safe("plain") == "plain"


def test_reset_deletes_attempts_and_keeps_the_account(alice_client, alice, bob, bank):
    finished_quiz(alice, at=NOW, right=1)
    finished_quiz(bob, at=NOW, right=1)
    response = alice_client.post("/progress/reset/", {})
    assert Attempt.objects.filter(user=alice).count() == 1  # no confirmation: nothing deleted
    response = alice_client.post("/progress/reset/", {"confirm": "yes"}, follow=True)
    assert "Your progress is reset: 1 attempt deleted." in response.content.decode()
    assert not Attempt.objects.filter(user=alice).exists()
    assert Attempt.objects.filter(user=bob).count() == 1
    alice.refresh_from_db()
    assert alice.is_active
    assert alice_client.get("/progress/reset/").status_code == 405


def test_progress_urls_show_only_own_data_and_need_login(alice_client, bob_client, client, alice, bank):
    finished_quiz(alice, at=NOW, right=1)
    for url in ("/progress/", "/progress/export.csv"):
        assert client.get(url).url.startswith("/accounts/login/")
    bob_page = bob_client.get("/progress/")
    assert bob_page.context["page"].paginator.count == 0
    bob_csv = b"".join(bob_client.get("/progress/export.csv").streaming_content).decode("utf-8-sig")
    assert bob_csv.count("\n") == 1  # header only


def test_dashboard_shows_progress_summary(alice_client, alice, bank):
    finished_quiz(alice, at=NOW, right=1, of=2, tags=[TagFactory(slug="cnn")])
    with time_machine.travel(NOW, tick=False):
        html = alice_client.get("/").content.decode()
    # After a first quiz the weakest topics are offered as the ones to practise first.
    assert "Current streak" in html and "Practise these topics first" in html and "Practise this topic" in html


def test_seed_demo_history(db, bank):
    call_command("seed_demo_history", "demo", "--create", "--attempts", "40", "--seed", "3", "--quiz-length", "4")
    attempts = Attempt.objects.filter(user__username="demo")
    assert attempts.count() == 40 and not attempts.exclude(status=Status.FINISHED).exists()
    assert not attempts.filter(score__isnull=True).exists()


@pytest.mark.parametrize("count", [1, 1000])
def test_query_budget(alice_client, alice, bank, django_assert_num_queries, count):
    call_command(
        "seed_demo_history", "alice", "--attempts", str(count), "--seed", "1", "--quiz-length", "5", "--days", "60"
    )
    # session (from Redis when set), user, expired interviews, history count, daily figures, mastery, chart
    # points, history page, its topics, the retention panel's two (reviews per day; cards by state and due
    # day), the navigation's review due counts
    with django_assert_num_queries(11 + SESSION_QUERY):
        assert alice_client.get("/progress/").status_code == 200
    # the dashboard: session, user, expired interviews, unfinished attempts, daily figures, mastery (no chart
    # points: the dashboard has no chart), the review due counts (navigation and first action share them)
    with django_assert_num_queries(6 + SESSION_QUERY):
        assert alice_client.get("/").status_code == 200
