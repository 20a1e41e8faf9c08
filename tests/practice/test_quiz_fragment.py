"""One request per answer: with the page's script the answer POST returns the next page's body itself."""

import pytest
from django.db import connection
from django.utils import timezone

from practice import services
from practice.models import Answer, Attempt, QuestionStat, Status
from reviews import services as reviews
from reviews.models import Card, ReviewLog
from tests.factories import QuestionFactory, TagFactory, quiz_of

from .test_quiz import correct_choice_id, current_item, wrong_choice_id

FRAGMENT = {"headers": {"X-Quiz-Fragment": "1"}}


@pytest.fixture
def bank(db):
    tag = TagFactory(slug="cnn", name="CNN")
    return [QuestionFactory(tags=[tag]) for _ in range(4)]


def start(client, mode="end", length="3"):
    response = client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": length, "feedback_mode": mode}
    )
    assert response.status_code == 302
    return Attempt.objects.latest("id")


def answer(client, attempt, item, choice_id, **extra):
    return client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": choice_id}, **extra)


def test_answer_returns_the_next_question_and_its_address(alice_client, alice, bank):
    attempt = start(alice_client)
    first = current_item(attempt)
    response = answer(alice_client, attempt, first, correct_choice_id(first), **FRAGMENT)
    assert response.status_code == 200
    second = current_item(attempt)
    html = response.content.decode()
    assert 'name="position" value="2"' in html and second.question.prompt in html
    assert "1 answered" in html
    assert "<html" not in html and "<nav" not in html  # the body only, never the whole page
    assert response["X-Quiz-Url"] == f"/quizzes/{attempt.pk}/"
    assert response["X-Quiz-Title"] == "Quiz: question 2 of 3 · InterviewPrep"
    assert Answer.objects.get(item=first).is_correct
    # A reload of that address shows the same question.
    page = alice_client.get(response["X-Quiz-Url"])
    assert 'name="position" value="2"' in page.content.decode()


def test_answer_with_feedback_returns_the_feedback_under_its_own_address(alice_client, alice, bank):
    attempt = start(alice_client, mode="each")
    first = current_item(attempt)
    response = answer(alice_client, attempt, first, wrong_choice_id(first), **FRAGMENT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not quite" in html and "Next question" in html
    assert response["X-Quiz-Url"] == f"/quizzes/{attempt.pk}/?feedback=1"
    page = alice_client.get(response["X-Quiz-Url"])
    assert "Not quite" in page.content.decode()


def test_last_answer_names_the_result_page(alice_client, alice, bank):
    attempt = start(alice_client, length="2")
    for _ in range(2):
        item = current_item(attempt)
        response = answer(alice_client, attempt, item, correct_choice_id(item), **FRAGMENT)
    assert response.status_code == 204
    assert response["X-Quiz-Redirect"] == f"/quizzes/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED
    assert (attempt.correct_count, attempt.answered_count, attempt.score) == (2, 2, 100)


def test_double_submit_counts_once_and_says_so(alice_client, alice, bank):
    attempt = start(alice_client)
    first = current_item(attempt)
    answer(alice_client, attempt, first, correct_choice_id(first), **FRAGMENT)
    again = answer(alice_client, attempt, first, wrong_choice_id(first), **FRAGMENT)
    assert again.status_code == 200
    assert "your first answer counts" in again.content.decode()
    assert Answer.objects.get(item=first).is_correct
    assert QuestionStat.objects.get(user=alice, question=first.question).quiz_answered == 1
    assert ReviewLog.objects.filter(user=alice).count() == 1


def test_a_missing_choice_returns_the_question_with_the_message(alice_client, alice, bank):
    attempt = start(alice_client)
    first = current_item(attempt)
    response = alice_client.post(f"/quizzes/{attempt.pk}/", {"position": first.position}, **FRAGMENT)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert response["X-Quiz-Url"] == f"/quizzes/{attempt.pk}/"
    assert not Answer.objects.exists()


def test_another_users_quiz_is_404_and_unchanged(alice_client, bob_client, alice, bank):
    attempt = start(alice_client)
    first = current_item(attempt)
    for extra in ({}, FRAGMENT):
        assert answer(bob_client, attempt, first, correct_choice_id(first), **extra).status_code == 404
    assert not Answer.objects.exists()


def test_without_the_script_post_redirect_get_stays(alice_client, alice, bank):
    attempt = start(alice_client)
    first = current_item(attempt)
    response = answer(alice_client, attempt, first, correct_choice_id(first))
    assert response.status_code == 302 and response.url == f"/quizzes/{attempt.pk}/"


def _stored(user):
    """What an answered quiz leaves in the database, without ids, times chosen at random (FSRS's fuzz) or owner."""
    attempt = Attempt.objects.get(user=user)
    return {
        "attempt": (attempt.status, attempt.score, attempt.correct_count, attempt.answered_count, attempt.finished_at),
        "answers": sorted(
            (a.item.question_id, a.choice_id, a.choice_text, a.is_correct, a.answered_at)
            for a in Answer.objects.filter(item__attempt=attempt)
        ),
        "stats": sorted(
            QuestionStat.objects.filter(user=user).values_list("question_id", "quiz_answered", "quiz_correct")
        ),
        "cards": sorted(
            Card.objects.filter(user=user).values_list(
                "question_id",
                "state",
                "step",
                "stability",
                "difficulty",
                "reps",
                "lapses",
                "last_rating",
                "last_review",
                "created_at",
                "new_studied_at",
            )
        ),
        "logs": sorted(
            ReviewLog.objects.filter(user=user).values_list(
                "question_id", "rating", "source", "state_before", "reviewed_at", "stability_after", "difficulty_after"
            )
        ),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the single statement is PostgreSQL's")
def test_the_single_statement_stores_what_the_orm_path_stores(alice, bob, bank, monkeypatch):
    """The quiz answer's one-statement write (PostgreSQL) and the ORM's saves (SQLite) leave the same rows."""
    now = timezone.now()
    for user, one_statement in ((alice, True), (bob, False)):
        monkeypatch.setattr(services, "_one_statement", lambda flag=one_statement: flag)
        # The same questions in the same order, and one card reviewed before (an update, not only inserts).
        attempt = quiz_of(user, [q.pk for q in bank[:3]], now=now)
        reviews.card_review(user=user, question=bank[0].pk, rating=3, now=now)
        for n, item in enumerate(attempt.items.order_by("position")):
            choice = correct_choice_id(item) if n % 2 == 0 else wrong_choice_id(item)
            services.quiz_answer(user=user, attempt_id=attempt.pk, position=item.position, choice_id=choice, now=now)
    assert _stored(alice) == _stored(bob)
    assert _stored(alice)["attempt"][0] == Status.FINISHED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the single statement is PostgreSQL's")
def test_a_card_changed_after_it_was_read_is_scheduled_again(alice, bank, monkeypatch):
    """A review in another tab between the read and the write: the card is not overwritten with a stale copy."""
    now = timezone.now()
    attempt = quiz_of(alice, [q.pk for q in bank[:2]], now=now)
    item = current_item(attempt)
    reviews.card_review(user=alice, question=item.question_id, rating=3, now=now)
    read = services._card_as_read

    def stale(item, user, now):
        card = read(item, user, now)
        card.reps -= 1  # as it was before another tab's review
        return card

    monkeypatch.setattr(services, "_card_as_read", stale)
    services.quiz_answer(
        user=alice, attempt_id=attempt.pk, position=item.position, choice_id=correct_choice_id(item), now=now
    )
    card = Card.objects.get(user=alice, question_id=item.question_id)
    assert card.reps == 2 and ReviewLog.objects.filter(card=card).count() == 2
    assert Answer.objects.get(item=item).is_correct
