"""After an answer, and on the result page, every choice is shown with its explanation, marked right or wrong in
words (issue 16: the feedback explained only two of the four)."""

import re

import pytest

from practice.models import Attempt
from questions.models import Choice
from tests.conftest import BANK_QUERY, SESSION_QUERY
from tests.factories import QuestionFactory, TagFactory


@pytest.fixture
def bank(db):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    questions = [QuestionFactory(tags=[tag]) for _ in range(3)]
    for q in questions:
        for choice in q.choices.all():
            choice.explanation = f"Because {choice.text} $\\sqrt{{d_k}}$ says so."
            choice.save()
    return questions


def start(client, feedback_mode: str) -> Attempt:
    client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": "2", "feedback_mode": feedback_mode}
    )
    return Attempt.objects.get()


def first_item(attempt):
    return attempt.items.select_related("question").order_by("position").first()


def wrong_choice(item) -> Choice:
    return item.question.choices.filter(is_correct=False).first()


def labels(html: str) -> list[str]:
    return re.findall(r"(Your answer, the correct one|Correct answer|Your answer, wrong|Wrong):", html)


def test_feedback_after_a_wrong_answer_explains_all_four_choices(alice_client, bank, django_assert_num_queries):
    attempt = start(alice_client, "each")
    item = first_item(attempt)
    chosen = wrong_choice(item)
    alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": chosen.pk})
    # session (from Redis when set), user, attempt, items with their answers, the question's prompt with its
    # choices (one query; in the bank cache when it is on, since the answer read them), the review due counts
    with django_assert_num_queries(4 + SESSION_QUERY + BANK_QUERY):
        html = alice_client.get(f"/quizzes/{attempt.pk}/?feedback={item.position}").content.decode()
    for choice in item.question.choices.all():
        assert f"Because {choice.text} <math" in html
    # In the order the candidate saw them, each marked in words, not by colour alone.
    shown = [
        html.index(f"Because {c.text} ")
        for c in sorted(item.question.choices.all(), key=lambda c: item.choice_order.index(c.pk))
    ]
    assert shown == sorted(shown)
    assert sorted(labels(html)) == ["Correct answer", "Wrong", "Wrong", "Your answer, wrong"]


def test_feedback_after_a_right_answer_explains_all_four_choices(alice_client, bank):
    attempt = start(alice_client, "each")
    item = first_item(attempt)
    right = item.question.choices.get(is_correct=True)
    alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": right.pk})
    html = alice_client.get(f"/quizzes/{attempt.pk}/?feedback={item.position}").content.decode()
    assert sorted(labels(html)) == ["Wrong", "Wrong", "Wrong", "Your answer, the correct one"]
    assert html.count("<msqrt>") == 4


def test_the_result_page_explains_every_choice_of_every_question(alice_client, bank, django_assert_num_queries):
    attempt = start(alice_client, "end")
    items = list(attempt.items.select_related("question").order_by("position"))
    for item in items:
        alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": wrong_choice(item).pk})
    # session (from Redis when set), user, attempt, items with their answers and questions, their choices, the
    # tag breakdown, the navigation's review due counts
    with django_assert_num_queries(6 + SESSION_QUERY):
        html = alice_client.get(f"/quizzes/{attempt.pk}/result/").content.decode()
    for item in items:
        for choice in item.question.choices.all():
            assert f"Because {choice.text} <math" in html
    marks = re.findall(r"</span>(Correct answer|Wrong)( \(your choice\))?:</strong>", html)
    assert sorted(marks) == [("Correct answer", "")] * 2 + [("Wrong", "")] * 4 + [("Wrong", " (your choice)")] * 2
