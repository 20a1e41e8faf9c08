"""The first-run dashboard's diagnostic: five questions from five topics, whose result fills the mastery table."""

import random

import pytest
from django.utils import timezone

from practice import services
from practice.models import Attempt
from tests.factories import QuestionFactory, TagFactory


@pytest.fixture
def bank(db):
    """Six topics of two questions each."""
    tags = [TagFactory(slug=f"topic-{n}", name=f"Topic {n}") for n in range(6)]
    return [QuestionFactory(tags=[tag]) for tag in tags for _ in range(2)]


def test_first_run_dashboard_offers_the_diagnostic(alice_client, bank):
    html = alice_client.get("/").content.decode()
    assert "Take the 5-question diagnostic" in html
    assert 'action="/quizzes/diagnostic/"' in html


def test_diagnostic_draws_five_questions_from_five_topics_with_feedback_each(alice_client, alice, bank):
    response = alice_client.post("/quizzes/diagnostic/")
    attempt = Attempt.objects.get(user=alice)
    assert response.status_code == 302 and response.url == f"/quizzes/{attempt.pk}/"
    assert attempt.question_count == 5 and attempt.feedback_mode == "each"
    topics = [item.question.tags.get().slug for item in attempt.items.all()]
    assert len(set(topics)) == 5


def test_diagnostic_of_a_small_bank_has_one_question_per_topic(alice, db):
    for n in range(3):
        QuestionFactory(tags=[TagFactory(slug=f"t{n}", name=f"T{n}")])
    attempt = services.quiz_diagnostic_start(user=alice, now=timezone.now(), rng=random.Random(1))
    assert attempt.question_count == 3


def test_diagnostic_of_an_empty_bank_is_a_clear_message(alice_client, db):
    response = alice_client.post("/quizzes/diagnostic/", follow=True)
    assert response.status_code == 200
    assert "No published question" in response.content.decode()
    assert not Attempt.objects.exists()


def test_diagnostic_needs_a_post(alice_client, bank):
    assert alice_client.get("/quizzes/diagnostic/").status_code == 405


def test_finished_diagnostic_fills_the_mastery_table_and_suggests_first_topics(alice_client, alice, bank):
    attempt = services.quiz_diagnostic_start(user=alice, now=timezone.now(), rng=random.Random(2))
    items = list(attempt.items.order_by("position"))
    missed = []
    for n, item in enumerate(items):
        right = n >= 2  # the first two wrong
        choice = (
            item.question.choices.get(is_correct=True) if right else item.question.choices.filter(is_correct=False)[0]
        )
        services.quiz_answer(
            user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=timezone.now()
        )
        if not right:
            missed.append(item.question.tags.get().name)
    html = alice_client.get("/").content.decode()
    assert "Take the 5-question diagnostic" not in html
    assert "Practise these topics first" in html
    table = html.split("Practise these topics first")[1]
    assert all(name in table for name in missed)
    assert table.index(missed[0]) < table.index("Practise this topic")
    progress = alice_client.get("/progress/").content.decode()
    assert progress.count('data-label="Quiz accuracy">0%') == 2
    assert progress.count('data-label="Quiz accuracy">100%') == 3
