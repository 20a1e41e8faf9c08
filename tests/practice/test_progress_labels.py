"""Words and axes of the progress and result pages: plural tabs, a true caption, one chart tick per day."""

import json
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from practice import progress, services
from tests.factories import QuestionFactory, TagFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def bank(db):
    cnn, rnn = TagFactory(slug="cnn", name="CNN"), TagFactory(slug="rnn", name="RNN")
    return [QuestionFactory(tags=[cnn, rnn]) for _ in range(4)]


def finish_quiz(user, at):
    attempt = services.quiz_start(
        user=user, tags=[], difficulty="any", question_count=2, feedback_mode="end", now=at - timedelta(minutes=5)
    )
    for item in attempt.items.order_by("position"):
        choice = item.question.choices.first()
        services.quiz_answer(
            user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=at
        )
    return attempt


def test_history_tabs_are_plural_words(alice_client, bank):
    html = alice_client.get("/progress/").content.decode()
    assert "Quizs" not in html and "Mock interviews</a>" in html and "Quizzes</a>" in html


def test_mastery_caption_names_only_columns_that_exist(alice_client, bank):
    html = alice_client.get("/progress/").content.decode()
    assert "Mastery is the average" not in html
    assert "ranked by the average of your quiz accuracy and your interview key-point coverage" in html


def test_quiz_result_says_a_question_can_count_for_several_topics(alice_client, alice, bank):
    attempt = finish_quiz(alice, NOW)
    html = alice_client.get(f"/quizzes/{attempt.pk}/result/").content.decode()
    assert "A question can count for several topics" in html


def test_chart_axis_has_one_tick_per_day_when_attempts_share_a_day(alice_client, alice, bank):
    for minutes in (0, 40, 80, 120, 160):
        finish_quiz(alice, NOW + timedelta(minutes=minutes))
    finish_quiz(alice, NOW + timedelta(days=2))
    html = alice_client.get("/progress/").content.decode()
    chart = json.loads(html.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    noon = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert chart["days"] == [int((noon + timedelta(days=n)).timestamp() * 1000) for n in range(3)]
    assert chart["xMin"] == int(datetime(2026, 11, 20, tzinfo=UTC).timestamp() * 1000)
    assert chart["xMax"] == int(datetime(2026, 11, 23, tzinfo=UTC).timestamp() * 1000)


def test_chart_days_are_the_candidates_own_days_across_a_clock_change():
    zone = zoneinfo.ZoneInfo("Europe/London")
    # 30 Mar 2025 01:00 UTC is 02:00 BST: the clocks went forward that night.
    points = [int(datetime(2025, 3, 29, 23, 30, tzinfo=UTC).timestamp() * 1000)]
    points.append(int(datetime(2025, 3, 31, 22, 30, tzinfo=UTC).timestamp() * 1000))  # 23:30 BST on 31 Mar
    axis = progress.chart_axis(points, zone)
    labels = [datetime.fromtimestamp(ms / 1000, zone) for ms in axis["days"]]
    assert [(d.day, d.hour) for d in labels] == [(29, 12), (30, 12), (31, 12)]


def test_chart_axis_of_no_attempts_is_empty():
    assert progress.chart_axis([], zoneinfo.ZoneInfo("UTC")) == {"xMin": None, "xMax": None, "days": []}
