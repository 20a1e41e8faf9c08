"""A visitor's first minutes: why the login page appears, a live sample question, one greeting."""

import pytest

from questions.models import Difficulty
from tests.factories import QuestionFactory


@pytest.fixture
def sample(db):
    QuestionFactory(difficulty=Difficulty.BASIC)  # not intermediate: never the sample
    question = QuestionFactory(difficulty=Difficulty.INTERMEDIATE, prompt="Why does depth help?")
    return question


@pytest.mark.parametrize(
    ("wanted", "reason"),
    [
        ("/quizzes/new/", "Sign in or create a free account to take a quiz."),
        ("/interviews/new/", "Sign in or create a free account to sit a mock interview."),
        ("/progress/", "Sign in or create a free account to see your progress."),
    ],
)
def test_login_page_says_why_and_offers_sign_up_when_a_visitor_wanted_a_members_page(client, db, wanted, reason):
    response = client.get(wanted, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert reason in html
    assert 'href="/accounts/signup/">Create a free account</a>' in html


def test_login_page_reached_directly_gives_no_reason(client, db):
    assert "Sign in or create a free account" not in client.get("/accounts/login/").content.decode()


def test_landing_sample_question_is_a_live_form_in_four_queries(client, sample, django_assert_num_queries):
    # 1 count of published questions, 2 count of tags, 3 the sample question, 4 its choices
    with django_assert_num_queries(4):
        html = client.get("/").content.decode()
    assert "Why does depth help?" in html
    assert 'method="get" action="/#sample"' in html
    assert html.count('name="choice"') == 4
    assert "Why practise here" in html


def test_visitor_answers_the_sample_question_right(client, sample, django_assert_num_queries):
    right = sample.choices.get(is_correct=True)
    with django_assert_num_queries(4):
        response = client.get("/", {"choice": right.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "✓ Correct" in html and "Your answer, the correct one:" in html and right.explanation in html


def test_visitor_answers_the_sample_question_wrong_and_sees_why(client, sample):
    right = sample.choices.get(is_correct=True)
    wrong = sample.choices.filter(is_correct=False).first()
    html = client.get("/", {"choice": wrong.pk}).content.decode()
    assert "✗ Not quite" in html
    assert wrong.explanation in html and right.explanation in html and "Correct answer:" in html


@pytest.mark.parametrize(
    ("choice", "message"),
    [("", "Choose an answer to see the feedback."), ("abc", "not one of this question"), ("999999", "not one of")],
)
def test_bad_sample_answer_gets_a_clear_message_linked_to_the_choices(client, sample, choice, message):
    response = client.get("/", {"choice": choice})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'aria-describedby="sample-error"' in html and 'id="sample-error"' in html


def test_landing_without_any_published_question_still_renders(client, db):
    response = client.get("/", {"choice": "1"})
    assert response.status_code == 200 and "Try one now" not in response.content.decode()


@pytest.mark.django_db
def test_a_new_candidate_is_greeted_once(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "nova",
            "email": "nova@example.com",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "a-long-unusual-passphrase-42",
        },
        follow=True,
    )
    html = response.content.decode()
    assert html.count("Welcome") == 1, html
    assert "Welcome to InterviewPrep, nova" in html
