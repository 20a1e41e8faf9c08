"""The number of questions of a new quiz: one control, and a typed number always wins."""

import re

import pytest

from practice.models import Attempt
from tests.factories import QuestionFactory


@pytest.fixture
def bank(db):
    return [QuestionFactory() for _ in range(12)]


def test_a_typed_number_wins_over_the_preset(alice_client, alice, bank):
    # The old page: the radio stayed on 10 while the candidate typed 7 into "Another number".
    response = alice_client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "10", "custom_length": "7", "feedback_mode": "each"}
    )
    assert response.status_code == 302
    assert Attempt.objects.get(user=alice).question_count == 7


def test_the_start_page_has_one_number_control_with_the_presets_as_suggestions(alice_client, alice, bank):
    alice.quiz_length = 7
    alice.save()
    html = alice_client.get("/quizzes/new/").content.decode()
    assert 'name="length"' not in html
    field = re.search(r'<input[^>]*name="custom_length"[^>]*>', html).group(0)
    assert 'type="number"' in field and 'list="quiz-lengths"' in field and 'value="7"' in field
    assert re.search(r'<label[^>]*for="id_custom_length"[^>]*>\s*Number of questions', html)
    assert '<datalist id="quiz-lengths"><option value="5"></option><option value="10"></option>' in html


def test_the_number_alone_starts_the_quiz(alice_client, alice, bank):
    alice_client.post("/quizzes/new/", {"difficulty": "any", "custom_length": "3", "feedback_mode": "each"})
    assert Attempt.objects.get(user=alice).question_count == 3


def test_no_number_at_all_is_a_clear_message(alice_client, bank):
    response = alice_client.post("/quizzes/new/", {"difficulty": "any", "feedback_mode": "each"})
    assert response.status_code == 400
    assert "Enter a number of questions from 1 to 50." in response.content.decode()
