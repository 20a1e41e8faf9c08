"""What the app caches in Redis (REDIS_URL): users, interview due times, the bank; all against a real Redis.

Every cached value must give way to the database the moment it changes: these tests change the data behind a
warm cache and check that the next request sees the change.
"""

import os
from datetime import timedelta
from unittest import mock

import pytest
import redis
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.utils import timezone

from accounts.backends import user_cache_key
from interviewprep.redis_cache import ReusedClientRedisCacheClient
from practice import services
from practice.models import Attempt, Status
from questions import cache as bank_cache
from questions.models import Question
from tests.conftest import PASSWORD, logged_in
from tests.factories import QuestionFactory

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The production cache settings, on a Redis database of its own that is emptied before and after."""
    try:
        redis.Redis.from_url(REDIS_TEST_URL).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    settings.CACHES = {"default": {"BACKEND": "interviewprep.redis_cache.RedisCache", "LOCATION": REDIS_TEST_URL}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.FAST_CACHE = True
    settings.BANK_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_calls():
    """Counts the cache operations that reach Redis, by name."""
    calls: dict[str, int] = {}

    def counting(name):
        original = getattr(ReusedClientRedisCacheClient, name)

        def wrapper(self, *args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return original(self, *args, **kwargs)

        return wrapper

    with (
        mock.patch.object(ReusedClientRedisCacheClient, "get", counting("get")),
        mock.patch.object(ReusedClientRedisCacheClient, "get_many", counting("get_many")),
    ):
        yield calls


def test_the_backend_keeps_one_client_and_works(redis_cache):
    client = cache._cache
    assert client.get_client() is client.get_client()
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.get_many(["k", "missing"]) == {"k": {"a": 1}}
    cache.set("n", 1, 30)
    assert cache.incr("n") == 2
    cache.delete("k")
    assert cache.get("k") is None


def test_a_warm_signed_in_page_costs_no_query_and_two_cache_reads(
    redis_cache, alice, redis_calls, django_assert_num_queries
):
    client = logged_in(alice)
    question = QuestionFactory()
    assert client.get(f"/questions/{question.pk}/").status_code == 200
    assert client.get("/questions/").status_code == 200
    redis_calls.clear()
    with django_assert_num_queries(0):
        response = client.get("/accounts/profile/")
    assert response.status_code == 200
    # The session, then one MGET: bank version, user, interview due time, review due counts.
    assert redis_calls == {"get": 1, "get_many": 1}
    redis_calls.clear()
    # The question page adds the candidate's own state of the question (card, bookmark, note): one query.
    with django_assert_num_queries(1):
        response = client.get(f"/questions/{question.pk}/")
    assert response.status_code == 200 and question.prompt in response.content.decode()
    assert redis_calls == {"get": 1, "get_many": 1}


def test_the_cached_user_gives_way_to_a_password_change(redis_cache, alice, client):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/progress/").status_code == 200
    assert cache.get(user_cache_key(alice.pk)) is not None
    alice.set_password("a-brand-new-password-42")
    alice.save()
    # The session was signed with the old password: it must no longer be accepted.
    response = client.get("/progress/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_cached_user_gives_way_to_deactivation_and_to_edits(redis_cache, alice):
    client = logged_in(alice)
    assert client.get("/progress/").status_code == 200
    alice.display_name = "Alice Liddell"
    alice.save()
    assert "Alice Liddell" in client.get("/progress/").content.decode()
    alice.is_active = False
    alice.save()
    assert client.get("/progress/").status_code == 302


def test_a_deleted_user_is_not_served_from_the_cache(redis_cache, alice):
    client = logged_in(alice)
    assert client.get("/progress/").status_code == 200
    session_key = client.session[SESSION_KEY]
    alice.delete()
    assert cache.get(user_cache_key(session_key)) is None
    assert client.get("/progress/").status_code == 302


def test_an_interview_started_after_the_due_time_was_cached_still_closes(redis_cache, alice):
    client = logged_in(alice)
    assert client.get("/progress/").status_code == 200  # caches "no running interview" for alice
    QuestionFactory.create_batch(3)
    started = timezone.now() - timedelta(minutes=30)
    attempt = services.interview_start(user=alice, tags=[], difficulty="any", question_count=3, minutes=5, now=started)
    # Its deadline passed long ago; any page of hers closes it, whatever the cache held before.
    assert client.get("/questions/").status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and attempt.timed_out


def test_a_running_interview_is_closed_once_due_and_not_before(redis_cache, alice):
    client = logged_in(alice)
    QuestionFactory.create_batch(3)
    now = timezone.now()
    attempt = services.interview_start(user=alice, tags=[], difficulty="any", question_count=3, minutes=5, now=now)
    assert client.get("/questions/").status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Status.ACTIVE
    later = now + timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get("/questions/").status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED
    assert not Attempt.objects.filter(user=alice, status=Status.ACTIVE).exists()


def test_the_bank_version_starts_from_the_clock(redis_cache):
    # A flushed Redis must never hand out a version number that a process may still hold entries for.
    assert bank_cache.bank_version() > 10**18
    before = bank_cache.bank_version()
    cache.clear()
    assert bank_cache.bank_version() > before


def test_an_edit_reaches_every_process_at_once(redis_cache, client, db):
    question = QuestionFactory(prompt="Original prompt?")
    assert "Original prompt?" in client.get(f"/questions/{question.pk}/").content.decode()
    # Another process's edit: the version moves in Redis; this process's LRU entry is for the old version.
    Question.objects.filter(pk=question.pk).update(prompt="Edited elsewhere?")
    cache.incr(bank_cache.VERSION_KEY)
    assert "Edited elsewhere?" in client.get(f"/questions/{question.pk}/").content.decode()


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


def test_quiz_pages_with_the_bank_cache(redis_cache, alice, django_assert_max_num_queries):
    client = logged_in(alice)
    QuestionFactory.create_batch(3)
    response = client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": "3", "feedback_mode": "each"}
    )
    url = response["Location"]
    client.get(url)
    with django_assert_max_num_queries(2):  # the attempt, its items; the question and choices are cached
        page = client.get(url)
    attempt = Attempt.objects.get(user=alice)
    item = attempt.items.order_by("position").first()
    choice = item.question.choices.get(is_correct=True)
    assert item.question.prompt in page.content.decode()
    response = client.post(url, {"position": item.position, "choice": choice.pk})
    assert response.status_code == 302
    feedback = client.get(response["Location"]).content.decode()
    assert "Correct" in feedback and choice.text in feedback
