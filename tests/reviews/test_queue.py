"""The /review/ queue: order, the daily new-card limit, the candidate's day, keyboard-less forms."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from reviews import queries, services
from reviews.models import Card, CardState, Rating, ReviewLog
from tests.conftest import SESSION_QUERY
from tests.factories import QuestionFactory

from .conftest import NOW


def make_card(user, question, *, due, state=CardState.REVIEW, **fields):
    defaults = {"stability": 3.0, "difficulty": 5.0, "last_review": due - timedelta(days=3), "reps": 1}
    if state == CardState.NEW:
        defaults = {}
    created = NOW - timedelta(days=10)
    return Card.objects.create(
        user=user, question=question, state=state, due=due, created_at=created, **defaults | fields
    )


def test_the_queue_shows_the_oldest_due_card_first_then_new_cards(alice_client, alice, questions):
    make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    make_card(alice, questions[1], due=NOW - timedelta(days=2))
    make_card(alice, questions[2], due=NOW - timedelta(days=5), state=CardState.NEW)
    make_card(alice, questions[3], due=NOW + timedelta(days=3))  # not due
    order = []
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            page = alice_client.get("/review/")
            card = page.context["card"]
            if card is None:
                break
            order.append(card.question_id)
            alice_client.post(f"/review/cards/{card.pk}/rate/", {"rating": "4", "reps": card.reps})
    assert order == [questions[1].pk, questions[0].pk, questions[2].pk]
    assert "Nothing left to review" in page.content.decode()


def test_the_empty_queue_says_when_the_next_card_is_due_and_offers_the_weakest_topic(alice_client, alice, questions):
    make_card(alice, questions[0], due=NOW + timedelta(days=2), last_rating=Rating.AGAIN)
    with time_machine.travel(NOW, tick=False):
        html = alice_client.get("/review/").content.decode()
    assert "Your next card is due Thu 12 Mar, 09:00." in html
    assert "Quiz yourself on Fundamentals, your weakest topic" in html
    assert "/quizzes/new/?tags=fundamentals" in html


def test_the_daily_new_card_limit(alice_client, alice, questions):
    alice.new_cards_per_day = 2
    alice.save()
    for question in questions[:5]:
        services.card_add(user=alice, question=question, now=NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        assert queries.due_summary(alice, timezone.now()).new == 2
        for _ in range(2):
            card = alice_client.get("/review/").context["card"]
            assert card.is_new
            alice_client.post(f"/review/cards/{card.pk}/rate/", {"rating": "4", "reps": 0})
        assert alice_client.get("/review/").context["card"] is None
        assert queries.due_summary(alice, timezone.now()).new == 0
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert queries.due_summary(alice, timezone.now()).new == 2  # a new day, two more


def test_a_card_due_at_two_in_the_morning_local_time_is_todays(alice, questions):
    alice.time_zone = "Asia/Tokyo"  # UTC+9
    alice.save()
    now = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)  # 00:30 on 11 March in Tokyo
    make_card(alice, questions[0], due=datetime(2026, 3, 10, 17, 0, tzinfo=UTC))  # 02:00 on 11 March, Tokyo
    make_card(alice, questions[1], due=datetime(2026, 3, 11, 14, 0, tzinfo=UTC))  # 23:00 on 11 March, Tokyo
    summary = queries.due_summary(alice, now)
    assert summary.due == 2 and summary.tomorrow == 0
    # For a candidate in UTC the second card falls on the next day.
    alice.time_zone = "UTC"
    summary = queries.due_summary(alice, now)
    assert summary.due == 1 and summary.tomorrow == 1


def test_learning_steps_come_back_when_due_not_before(alice, questions):
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=questions[0], rating=Rating.AGAIN, now=NOW)
    summary = queries.due_summary(alice, NOW + timedelta(minutes=1))
    assert summary.due == 0 and summary.later_today == 1
    assert queries.due_summary(alice, NOW + timedelta(minutes=11)).due == 1


def test_rating_without_javascript_redirects_with_the_next_interval(alice_client, alice, questions):
    card = make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        response = alice_client.post(f"/review/cards/{card.pk}/rate/", {"rating": "1", "reps": card.reps}, follow=True)
    assert response.redirect_chain == [("/review/", 302)]
    assert "Again: next review in 10 min." in response.content.decode()


def test_with_javascript_the_next_card_comes_back_as_a_fragment(alice_client, alice, questions):
    first = make_card(alice, questions[0], due=NOW - timedelta(hours=2))
    make_card(alice, questions[1], due=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        response = alice_client.post(
            f"/review/cards/{first.pk}/rate/", {"rating": "3", "reps": first.reps}, headers={"X-Review-Fragment": "1"}
        )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert questions[1].prompt in html and "Rated Good." in html


def test_a_double_submit_from_the_queue_counts_once(alice_client, alice, questions):
    card = make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        alice_client.post(f"/review/cards/{card.pk}/rate/", {"rating": "3", "reps": card.reps})
        response = alice_client.post(f"/review/cards/{card.pk}/rate/", {"rating": "1", "reps": card.reps}, follow=True)
    assert "You already rated that card" in response.content.decode()
    assert ReviewLog.objects.count() == 1 and Card.objects.get().last_rating == Rating.GOOD


@pytest.mark.parametrize("data", [{"rating": "7"}, {"rating": "x"}, {}, {"rating": "3", "reps": "-4"}])
def test_bad_ratings_are_refused_with_a_message(alice_client, alice, questions, data):
    card = make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    response = alice_client.post(f"/review/cards/{card.pk}/rate/", data, follow=True)
    assert response.status_code == 200 and "Nothing was changed." in response.content.decode()
    assert not ReviewLog.objects.exists()
    fragment = alice_client.post(f"/review/cards/{card.pk}/rate/", data, headers={"X-Review-Fragment": "1"})
    assert fragment.status_code == 400 and "Nothing was changed." in fragment.content.decode()


def test_another_candidates_card_is_404(bob_client, alice, questions):
    card = make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    assert bob_client.post(f"/review/cards/{card.pk}/rate/", {"rating": "3", "reps": 1}).status_code == 404
    assert not ReviewLog.objects.exists()


def test_keeping_the_typed_answer_appends_it_to_the_note(alice_client, alice, questions):
    card = make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    other = make_card(alice, questions[1], due=NOW - timedelta(hours=1))
    alice_client.post(
        f"/review/cards/{card.pk}/rate/", {"rating": "3", "reps": 1, "answer": "Chain rule.", "keep_answer": "on"}
    )
    alice_client.post(f"/review/cards/{other.pk}/rate/", {"rating": "3", "reps": 1, "answer": "Not kept."})
    assert list(alice.question_notes.values_list("question_id", "text")) == [(questions[0].pk, "Chain rule.")]


def _cards(user, count, now):
    questions = [QuestionFactory(choices=False, key_points=False) for _ in range(count)] if count <= 10 else None
    if questions is None:
        from questions.models import Question

        Question.objects.bulk_create(Question(prompt=f"Bulk question {n}?", answer="An answer.") for n in range(count))
        questions = list(Question.objects.filter(prompt__startswith="Bulk question"))
    Card.objects.bulk_create(
        Card(
            user=user,
            question=q,
            state=[CardState.REVIEW, CardState.LEARNING, CardState.NEW][n % 3],
            due=now + timedelta(hours=n - count // 2),
            stability=2.0,
            difficulty=5.0,
            last_review=now - timedelta(days=2),
            reps=1,
            created_at=now - timedelta(days=9),
        )
        for n, q in enumerate(questions)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_query_budget_of_the_queue_and_the_dashboard(alice_client, alice, django_assert_num_queries, count):
    with time_machine.travel(NOW, tick=False):
        _cards(alice, count, NOW)
        # session (from Redis when set), user, due counts (shared with the navigation), next card with its
        # question, its key points
        with django_assert_num_queries(4 + SESSION_QUERY):
            response = alice_client.get("/review/")
        assert response.context["card"] is not None
        # session, user, expired interviews, unfinished attempts, daily figures, mastery, due counts
        with django_assert_num_queries(6 + SESSION_QUERY):
            html = alice_client.get("/").content.decode()
        assert "due question" in html


def test_cards_of_unpublished_questions_are_neither_shown_nor_counted(alice_client, alice, questions):
    make_card(alice, questions[0], due=NOW - timedelta(hours=1))
    questions[0].is_published = False
    questions[0].save()
    with time_machine.travel(NOW, tick=False):
        assert queries.due_summary(alice, NOW).total == 0
        assert alice_client.get("/review/").context["card"] is None


def test_after_a_first_quiz_the_dashboard_says_what_comes_back_and_when(alice_client, alice, questions):
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=questions[0], rating=Rating.AGAIN, now=NOW)
        services.card_review(user=alice, question=questions[1], rating=Rating.GOOD, now=NOW)
        html = alice_client.get("/").content.decode()
    assert "Nothing due for review now. 1 card comes back later today." in html
    assert "Tomorrow: 0 due. Your next card is due Tue 10 Mar, 09:10." in html


def test_due_times_are_shown_in_the_candidates_time_zone(alice_client, alice, questions):
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    make_card(alice, questions[0], due=NOW + timedelta(days=2))  # 09:00 UTC is 18:00 in Tokyo
    with time_machine.travel(NOW, tick=False):
        assert "Your next card is due Thu 12 Mar, 18:00." in alice_client.get("/review/").content.decode()
        assert (
            "next review Thu 12 Mar 2026, 18:00" in alice_client.get(f"/questions/{questions[0].pk}/").content.decode()
        )
