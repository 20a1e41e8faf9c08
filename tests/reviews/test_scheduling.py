"""The FSRS schedule through card_review, with the clock under time_machine."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from reviews import scheduling, services
from reviews.models import Card, CardState, Rating, ReviewLog, Source
from reviews.scheduling import interval_label
from reviews.services import ReviewError

from .conftest import NOW


def review(user, question, rating, **kwargs):
    return services.card_review(user=user, question=question, rating=rating, now=timezone.now(), **kwargs)


def test_again_brings_a_card_back_within_minutes(alice, questions):
    with time_machine.travel(NOW, tick=False):
        result = review(alice, questions[0], Rating.AGAIN)
    card = result.card
    assert card.state == CardState.LEARNING
    assert timedelta(minutes=1) <= card.due - NOW <= timedelta(minutes=15)


def test_good_pushes_it_out_by_days_and_a_second_good_further(alice, questions):
    with time_machine.travel(NOW, tick=False):
        first = review(alice, questions[0], Rating.GOOD).card
    first_interval = first.due - NOW
    assert first.state == CardState.REVIEW
    assert timedelta(days=1) <= first_interval <= timedelta(days=6)
    with time_machine.travel(first.due, tick=False):
        second = review(alice, questions[0], Rating.GOOD).card
    second_interval = second.due - first.due
    assert second_interval > first_interval * 1.5
    assert second.reps == 2 and ReviewLog.objects.filter(card=second).count() == 2


def test_a_forgotten_review_card_relearns_and_counts_a_lapse(alice, questions):
    with time_machine.travel(NOW, tick=False):
        card = review(alice, questions[0], Rating.EASY).card
    with time_machine.travel(card.due, tick=False):
        card = review(alice, questions[0], Rating.AGAIN).card
    assert card.state == CardState.RELEARNING and card.lapses == 1
    assert card.due - card.last_review <= timedelta(minutes=15)


def test_a_higher_desired_retention_schedules_sooner(alice, bob, questions):
    bob.desired_retention = 0.97
    bob.save()
    with time_machine.travel(NOW, tick=False):
        relaxed = review(alice, questions[0], Rating.EASY).card
        strict = review(bob, questions[0], Rating.EASY).card
    assert strict.due < relaxed.due


def test_a_double_submit_of_the_same_card_counts_once(alice, questions):
    with time_machine.travel(NOW, tick=False):
        first = review(alice, questions[0], Rating.GOOD, expected_reps=0)
        again = review(alice, questions[0], Rating.AGAIN, expected_reps=0)
    assert not first.duplicate and again.duplicate and again.log is None
    card = Card.objects.get(user=alice)
    assert card.reps == 1 and card.last_rating == Rating.GOOD
    assert ReviewLog.objects.count() == 1


@pytest.mark.parametrize("rating", [0, 5, 7, -1])
def test_a_rating_out_of_range_is_refused_and_changes_nothing(alice, questions, rating):
    with pytest.raises(ReviewError, match="Again, Hard, Good or Easy"):
        review(alice, questions[0], rating)
    assert not Card.objects.exists() and not ReviewLog.objects.exists()


def test_an_unknown_or_unpublished_question_is_refused(alice, questions):
    questions[1].is_published = False
    questions[1].save()
    for question in (questions[1].pk, 999_999):
        with pytest.raises(ReviewError, match="does not exist"):
            review(alice, question, Rating.GOOD)
    assert not Card.objects.exists()


def test_every_review_is_a_log_row_with_its_source(alice, questions):
    with time_machine.travel(NOW, tick=False):
        review(alice, questions[0], Rating.GOOD, source=Source.QUESTION)
        review(alice, questions[1], Rating.AGAIN, source=Source.QUIZ)
    assert sorted(ReviewLog.objects.values_list("source", flat=True)) == ["question", "quiz"]


def test_interview_self_ratings_map_to_recall():
    assert [services.rating_for_self_rating(n) for n in range(5)] == [1, 1, 2, 3, 4]
    assert services.rating_for_quiz(True) == Rating.GOOD and services.rating_for_quiz(False) == Rating.AGAIN


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(minutes=10), "10 min"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3, hours=2), "3 days"),
        (timedelta(days=75), "2.5 months"),
        (timedelta(days=800), "2.2 years"),
    ],
)
def test_interval_labels_read_like_ankis(interval, label):
    assert interval_label(interval) == label


def test_a_stale_form_for_a_question_without_a_card_creates_nothing(alice, questions):
    with time_machine.travel(NOW, tick=False):
        result = review(alice, questions[0], Rating.GOOD, expected_reps=3)
    assert result.duplicate and result.log is None
    assert not Card.objects.exists()


@pytest.mark.parametrize("retention", [0.8, 0.9, 0.97])
def test_a_new_cards_button_intervals_are_the_schedulers_at_any_moment(retention):
    # The question page works a new card's four intervals out once per retention level: they must be what the
    # scheduler gives a new card reviewed at any time.
    for moment in (NOW, NOW + timedelta(days=400, hours=7, minutes=13)):
        fresh = scheduling.to_fsrs(Card(state=CardState.NEW, due=moment))
        expected = {}
        for rating in Rating.values:
            reviewed, _log = scheduling.scheduler(retention, fuzz=False).review_card(fresh, rating, moment)
            expected[rating] = reviewed.due - moment
        assert dict(scheduling.preview(None, moment, retention)) == expected
        assert dict(scheduling.preview(Card(state=CardState.NEW, due=moment), moment, retention)) == expected
    assert scheduling.preview(None, NOW, 0.8) != scheduling.preview(None, NOW, 0.97)
