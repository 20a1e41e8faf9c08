"""Cards are made by practice: quiz answers, interview self-ratings, the question page."""

from datetime import timedelta

import time_machine

from practice import services as practice
from reviews.models import Card, CardState, Rating, ReviewLog, Source
from tests.factories import quiz_of

from .conftest import NOW


def answer_quiz(user, *, right: set[int]):
    attempt = practice.quiz_start(user=user, tags=[], difficulty="any", question_count=4, feedback_mode="end", now=NOW)
    for n, item in enumerate(attempt.items.order_by("position")):
        choice = item.question.choices.filter(is_correct=n in right).first()
        practice.quiz_answer(
            user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=NOW
        )
    return attempt


def test_a_quiz_makes_a_card_per_question_wrong_again_right_good(alice, questions):
    with time_machine.travel(NOW, tick=False):
        attempt = answer_quiz(alice, right={0, 1})
    cards = {c.question_id: c for c in Card.objects.filter(user=alice)}
    assert len(cards) == 4
    for n, item in enumerate(attempt.items.order_by("position")):
        card = cards[item.question_id]
        if n in (0, 1):
            assert card.last_rating == Rating.GOOD and card.state == CardState.REVIEW
            assert card.due - NOW >= timedelta(days=1)
        else:
            assert card.last_rating == Rating.AGAIN and card.due - NOW <= timedelta(minutes=15)
    assert set(ReviewLog.objects.values_list("source", flat=True)) == {Source.QUIZ}


def test_a_second_quiz_feeds_the_existing_card(alice, questions):
    with time_machine.travel(NOW, tick=False):
        answer_quiz(alice, right=set())
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        attempt = quiz_of(alice, [Card.objects.filter(user=alice).first().question_id], now=NOW + timedelta(days=2))
        item = attempt.items.get()
        choice = item.question.choices.get(is_correct=True)
        practice.quiz_answer(
            user=attempt.user, attempt_id=attempt.pk, position=1, choice_id=choice.pk, now=NOW + timedelta(days=2)
        )
    card = Card.objects.get(user=alice, question=item.question)
    assert card.reps == 2 and card.last_rating == Rating.GOOD
    assert Card.objects.filter(user=alice).count() == 4  # one card per candidate and question


def test_a_duplicate_quiz_answer_does_not_review_twice(alice, questions):
    attempt = practice.quiz_start(user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=NOW)
    item = attempt.items.get()
    choice = item.question.choices.get(is_correct=True)
    practice.quiz_answer(user=attempt.user, attempt_id=attempt.pk, position=1, choice_id=choice.pk, now=NOW)
    practice.quiz_answer(user=attempt.user, attempt_id=attempt.pk, position=1, choice_id=choice.pk, now=NOW)
    assert ReviewLog.objects.count() == 1


def test_interview_self_ratings_make_cards_and_only_the_first_rating_counts(alice, questions):
    attempt = practice.interview_start(user=alice, tags=[], difficulty="any", question_count=5, minutes=30, now=NOW)
    practice.interview_finish(attempt=attempt, now=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=6)
    for position, rating in enumerate([0, 1, 2, 3, 4], 1):
        practice.interview_rate(attempt=attempt, position=position, rating=rating, now=later)
    practice.interview_rate(attempt=attempt, position=5, rating=0, now=later)  # a change of mind
    ratings = dict(
        Card.objects.filter(user=alice).values_list("question__attempt_items__position", "last_rating").distinct()
    )
    assert ratings == {1: Rating.AGAIN, 2: Rating.AGAIN, 3: Rating.HARD, 4: Rating.GOOD, 5: Rating.EASY}
    assert ReviewLog.objects.filter(source=Source.INTERVIEW).count() == 5


def test_add_to_my_reviews_makes_a_new_card_once(alice_client, alice, questions):
    question = questions[0]
    response = alice_client.post(f"/review/questions/{question.pk}/add/")
    assert response.status_code == 302 and response.url == f"/questions/{question.pk}/"
    alice_client.post(f"/review/questions/{question.pk}/add/")
    card = Card.objects.get(user=alice)
    assert card.state == CardState.NEW and card.reps == 0 and not ReviewLog.objects.exists()
    page = alice_client.get(f"/questions/{question.pk}/").content.decode()
    assert "New: waiting in your review queue." in page


def test_the_question_pages_four_buttons_rate_and_schedule(alice_client, alice, questions):
    question = questions[0]
    page = alice_client.get(f"/questions/{question.pk}/").content.decode()
    assert "Not in your reviews yet." in page
    for label in ("Again", "Hard", "Good", "Easy"):
        assert f"{label} <kbd>" in page
    assert "10 min" in page  # Again's interval on the button
    with time_machine.travel(NOW, tick=False):
        response = alice_client.post(f"/review/questions/{question.pk}/rate/", {"rating": "3", "reps": "0"})
        assert response.status_code == 302
        follow = alice_client.get(f"/questions/{question.pk}/").content.decode()
    card = Card.objects.get(user=alice)
    assert card.last_rating == Rating.GOOD and ReviewLog.objects.get().source == Source.QUESTION
    assert "Good: next review in" in follow and "Last result: Good" in follow


def test_rating_an_unknown_question_is_a_message_and_changes_nothing(alice_client, alice, questions):
    for url in ("/review/questions/999999/rate/", "/review/questions/999999/add/", "/review/questions/999999/note/"):
        response = alice_client.post(url, {"rating": "3", "text": "x"}, follow=True)
        assert response.status_code == 200
        assert "does not exist or is no longer published" in response.content.decode()
    assert not Card.objects.exists()


def test_a_rating_of_seven_is_a_message_and_changes_nothing(alice_client, alice, questions):
    response = alice_client.post(f"/review/questions/{questions[0].pk}/rate/", {"rating": "7"}, follow=True)
    assert "Again, Hard, Good or Easy" in response.content.decode()
    assert not Card.objects.exists()
