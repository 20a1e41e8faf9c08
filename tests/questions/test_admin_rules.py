"""The admin enforces validate_bank's rules, and explains why an answered question cannot be deleted."""

import pytest
from django.utils import timezone

from practice import services
from questions.bank import export_bank, import_bank
from questions.models import Question
from tests.factories import QuestionFactory

LONG_ANSWER = "Gradients shrink as they flow back through many saturating layers, so early layers learn slowly. " * 6


def change_data(question: Question, **overrides) -> dict:
    """The admin change form of a question, as the browser posts it."""
    data = {
        "prompt": question.prompt,
        "answer": question.answer,
        "difficulty": question.difficulty,
        "tags": [t.pk for t in question.tags.all()],
        "is_published": "on",
        "choices-TOTAL_FORMS": 4,
        "choices-INITIAL_FORMS": 4,
        "choices-MIN_NUM_FORMS": 4,
        "choices-MAX_NUM_FORMS": 4,
        "key_points-TOTAL_FORMS": 2,
        "key_points-INITIAL_FORMS": 2,
        "key_points-MIN_NUM_FORMS": 2,
        "key_points-MAX_NUM_FORMS": 1000,
    }
    for n, choice in enumerate(question.choices.all()):
        data |= {
            f"choices-{n}-id": choice.pk,
            f"choices-{n}-question": question.pk,
            f"choices-{n}-text": choice.text,
            f"choices-{n}-explanation": choice.explanation,
        }
        if choice.is_correct:
            data[f"choices-{n}-is_correct"] = "on"
    for n, kp in enumerate(question.key_points.all()):
        data |= {
            f"key_points-{n}-id": kp.pk,
            f"key_points-{n}-question": question.pk,
            f"key_points-{n}-text": kp.text,
            f"key_points-{n}-keywords": ", ".join(kp.keywords),
        }
    return data | overrides


@pytest.fixture
def question(db):
    return QuestionFactory(answer=LONG_ANSWER)


def test_admin_refuses_a_model_answer_too_short_for_the_bank(staff_client, question):
    short = "Gradients vanish because derivatives below one multiply across many layers of the network."
    url = f"/admin/questions/question/{question.pk}/change/"
    response = staff_client.post(url, change_data(question, answer=short))
    assert response.status_code == 200
    assert "The model answer has 13 words; it needs 80 to 250." in response.content.decode()
    question.refresh_from_db()
    assert question.answer == LONG_ANSWER
    # What it protects: the bank's own export imports again.
    import_bank(export_bank())


def test_admin_refuses_a_duplicate_prompt_and_a_question_without_tags(staff_client, question):
    other = QuestionFactory(answer=LONG_ANSWER, prompt="Why do gradients vanish?")
    url = f"/admin/questions/question/{question.pk}/change/"
    html = staff_client.post(url, change_data(question, prompt="why do gradients VANISH")).content.decode()
    assert f"Question {other.pk} already asks this" in html
    html = staff_client.post(url, change_data(question, tags=[])).content.decode()
    assert "This field is required." in html  # the model's own rule: a question has at least one tag


def test_admin_saves_a_question_that_follows_the_rules(staff_client, question):
    url = f"/admin/questions/question/{question.pk}/change/"
    response = staff_client.post(url, change_data(question, prompt="Why do deep sigmoid networks train slowly?"))
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).prompt == "Why do deep sigmoid networks train slowly?"


def test_deleting_an_answered_question_explains_and_offers_unpublish(staff_client, alice, question):
    services.quiz_start(
        user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=timezone.now()
    )
    html = staff_client.get(f"/admin/questions/question/{question.pk}/delete/").content.decode()
    assert "cannot be deleted" in html and "Attempt item" not in html
    assert f'action="/admin/questions/question/{question.pk}/unpublish/"' in html
    response = staff_client.post(f"/admin/questions/question/{question.pk}/unpublish/")
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.is_published
    again = staff_client.get(f"/admin/questions/question/{question.pk}/delete/")
    assert "already unpublished" in again.content.decode()


def test_unpublish_needs_a_post_and_a_staff_member(staff_client, alice_client, question):
    staff_client.get(f"/admin/questions/question/{question.pk}/unpublish/")
    alice_client.post(f"/admin/questions/question/{question.pk}/unpublish/")
    question.refresh_from_db()
    assert question.is_published


def test_a_question_nobody_answered_can_still_be_deleted(staff_client, question):
    response = staff_client.post(f"/admin/questions/question/{question.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Question.objects.filter(pk=question.pk).exists()


def test_admin_refuses_what_the_bank_import_would_not_render(staff_client, question):
    url = f"/admin/questions/question/{question.pk}/change/"
    html = staff_client.post(url, change_data(question, answer=LONG_ANSWER + " <div>raw</div>")).content.decode()
    assert "Raw HTML &#x27;&lt;div&gt;&#x27;: write Markdown instead." in html
    question.refresh_from_db()
    assert question.answer == LONG_ANSWER
