"""The production cache (Redis: cached sessions, the bank cache, rate limits) against a real Redis.

A cached value must give way to the database the moment the data behind it changes: these tests change the data
behind a warm cache and check that the next request sees the change. `make test` gives them a Redis database in
REDIS_TEST_URL; without one they are skipped (and fail under CI=true).
"""

import os
from unittest import mock

import pytest
import redis
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from accounts.models import User
from interviewprep.settings import redis_caches
from practice.models import Attempt
from questions import cache as bank_cache
from questions.models import Choice, Question
from tests.conftest import PASSWORD, logged_in
from tests.factories import QuestionFactory

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "")


@pytest.fixture
def redis_cache(settings):
    """The production cache settings, on the test Redis database, emptied before and after."""
    try:
        if not REDIS_TEST_URL:
            raise redis.ConnectionError("REDIS_TEST_URL is not set")
        redis.Redis.from_url(REDIS_TEST_URL).ping()
    except redis.ConnectionError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis for the tests: {exc}")
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CACHES = redis_caches(REDIS_TEST_URL)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.BANK_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_the_backend_works(redis_cache):
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.get_many(["k", "missing"]) == {"k": {"a": 1}}
    cache.set("n", 1, 30)
    assert cache.incr("n") == 2
    cache.delete("k")
    assert cache.get("k") is None


def test_a_warm_question_page_costs_only_the_user_query(redis_cache, alice, django_assert_num_queries):
    client = logged_in(alice)
    question = QuestionFactory()
    assert client.get(f"/questions/{question.pk}/").status_code == 200
    # the user, then the candidate's card and note of the question with the navigation's review due counts (one
    # query); the session and the bank come from Redis
    with django_assert_num_queries(2):
        response = client.get(f"/questions/{question.pk}/")
    assert response.status_code == 200 and question.prompt in response.content.decode()


def test_a_password_change_signs_out_the_other_sessions(redis_cache, alice, client):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/progress/").status_code == 200
    alice.set_password("a-brand-new-password-42")
    alice.save()
    # The session was signed with the old password: it must no longer be accepted.
    response = client.get("/progress/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_edits_and_deactivation_show_on_the_next_request(redis_cache, alice):
    client = logged_in(alice)
    assert client.get("/progress/").status_code == 200
    alice.display_name = "Alice Liddell"
    alice.save()
    assert "Alice Liddell" in client.get("/progress/").content.decode()
    alice.is_active = False
    alice.save()
    assert client.get("/progress/").status_code == 302


def test_a_user_deactivated_while_a_request_reads_them_is_refused_on_the_next_request(
    redis_cache, alice, django_capture_on_commit_callbacks
):
    """Regression: a request that read the user before a deactivation committed wrote the old copy back into
    the user cache after the deactivation dropped it, so the user stayed signed in for up to 5 minutes."""
    client = logged_in(alice)
    original = ModelBackend.get_user

    def read_then_deactivate(self, user_id):
        user = original(self, user_id)
        # The deactivation commits after this request read the user and before the request ends.
        with django_capture_on_commit_callbacks(execute=True):
            stored = User.objects.get(pk=user_id)
            stored.is_active = False
            stored.save()
        return user

    with mock.patch.object(ModelBackend, "get_user", read_then_deactivate):
        client.get("/progress/")
    response = client.get("/progress/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deleted_user_is_signed_out(redis_cache, alice):
    client = logged_in(alice)
    assert client.get("/progress/").status_code == 200
    alice.delete()
    assert client.get("/progress/").status_code == 302


def test_the_bank_version_starts_from_the_clock(redis_cache):
    # A flushed Redis must never hand out a version number under which older entries were stored.
    assert bank_cache.bank_version() > 10**18
    before = bank_cache.bank_version()
    cache.clear()
    assert bank_cache.bank_version() > before


def test_an_edit_by_another_process_shows_at_once(redis_cache, client, db):
    question = QuestionFactory(prompt="Original prompt?")
    assert "Original prompt?" in client.get(f"/questions/{question.pk}/").content.decode()
    # Another process's edit: the version moves in Redis.
    Question.objects.filter(pk=question.pk).update(prompt="Edited elsewhere?")
    cache.incr(bank_cache.VERSION_KEY)
    assert "Edited elsewhere?" in client.get(f"/questions/{question.pk}/").content.decode()


def _change_form_data(question) -> dict:
    data = {
        "prompt": question.prompt,
        "answer": question.answer,
        "difficulty": question.difficulty,
        "tags": [tag.pk for tag in question.tags.all()],
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
    for n, choice in enumerate(question.choices.order_by("id")):
        data |= {
            f"choices-{n}-id": choice.pk,
            f"choices-{n}-question": question.pk,
            f"choices-{n}-text": choice.text,
            f"choices-{n}-explanation": choice.explanation,
        }
        if choice.is_correct:
            data[f"choices-{n}-is_correct"] = "on"
    for n, point in enumerate(question.key_points.order_by("id")):
        data |= {
            f"key_points-{n}-id": point.pk,
            f"key_points-{n}-question": question.pk,
            f"key_points-{n}-text": point.text,
            f"key_points-{n}-keywords": ", ".join(point.keywords),
        }
    return data


def test_an_admin_edit_shows_at_once_on_the_cached_question_and_quiz_pages(redis_cache, staff_client, alice):
    # An answer of 80 words or more: the admin form enforces validate_bank's rules.
    question = QuestionFactory(prompt="Which activation is cheapest?", answer="ReLU costs one comparison. " * 20)
    client = logged_in(alice)
    response = client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": "1", "feedback_mode": "end"}
    )
    quiz_url = response["Location"]
    # Both pages warm in the bank cache.
    assert "Which activation is cheapest?" in client.get(f"/questions/{question.pk}/").content.decode()
    assert "Option 2 for question" in client.get(quiz_url).content.decode()

    data = _change_form_data(question)
    data["prompt"] = "Which activation costs least to compute?"
    data["choices-1-text"] = "Leaky ReLU, edited"
    response = staff_client.post(f"/admin/questions/question/{question.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()

    assert "Which activation costs least to compute?" in client.get(f"/questions/{question.pk}/").content.decode()
    quiz_page = client.get(quiz_url).content.decode()
    assert "Which activation costs least to compute?" in quiz_page and "Leaky ReLU, edited" in quiz_page


def test_publishing_from_the_admin_list_reaches_the_cached_pages(redis_cache, staff_client, client):
    question = QuestionFactory()
    assert client.get(f"/questions/{question.pk}/").status_code == 200
    response = staff_client.post(
        "/admin/questions/question/", {"action": "unpublish", "_selected_action": [question.pk]}, follow=True
    )
    assert "Unpublished 1 question." in response.content.decode()
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    staff_client.post("/admin/questions/question/", {"action": "publish", "_selected_action": [question.pk]})
    assert client.get(f"/questions/{question.pk}/").status_code == 200


def test_a_warm_quiz_page_takes_the_question_from_the_bank_cache(redis_cache, alice, django_assert_num_queries):
    client = logged_in(alice)
    QuestionFactory.create_batch(3)
    response = client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": "3", "feedback_mode": "each"}
    )
    url = response["Location"]
    client.get(url)
    # the user, the attempt, its items with their answers, the navigation's review due counts; the question and
    # its choices are cached
    with django_assert_num_queries(4):
        page = client.get(url)
    attempt = Attempt.objects.get(user=alice)
    item = attempt.items.order_by("position").first()
    choice = Choice.objects.get(question=item.question, is_correct=True)
    assert item.question.prompt in page.content.decode()
    response = client.post(url, {"position": item.position, "choice": choice.pk})
    assert response.status_code == 302
    feedback = client.get(response["Location"]).content.decode()
    assert "Correct" in feedback and choice.text in feedback


def test_healthz_reports_redis_up(redis_cache, client, db):
    for url in ("/healthz", "/healthz?strict=1"):
        response = client.get(url)
        assert response.status_code == 200 and response.content == b"ok\ndatabase: up\nredis: up\n"
