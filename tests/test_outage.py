"""A Redis outage degrades, never breaks: REDIS_URL points at a closed port and every page still works."""

import socket

import pytest
from django.core import mail

from accounts.models import User
from interviewprep.settings import redis_caches
from tests.conftest import PASSWORD
from tests.factories import QuestionFactory


@pytest.fixture
def redis_down(settings):
    """The production cache settings, with REDIS_URL at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL = url
    settings.CACHES = redis_caches(url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.BANK_CACHE = True


def test_every_page_works_for_visitors_and_candidates(redis_down, client, alice):
    question = QuestionFactory()
    for url in ("/", "/questions/", f"/questions/{question.pk}/", "/accounts/login/", "/accounts/signup/"):
        assert client.get(url).status_code == 200, url
    # Sessions come from the database.
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    for url in ("/", "/questions/", f"/questions/{question.pk}/", "/progress/", "/quizzes/new/", "/accounts/profile/"):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": "1", "feedback_mode": "end"}
    )
    assert response.status_code == 302
    assert question.prompt in client.get(response["Location"]).content.decode()


def test_signup_fails_closed_with_a_clear_message(redis_down, client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "dora", "email": "dora@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 503
    assert "Sign-up is unavailable for a few minutes" in response.content.decode()
    assert not User.objects.filter(username="dora").exists()


def test_password_reset_fails_closed_with_a_clear_message(redis_down, client, alice):
    response = client.post("/accounts/password_reset/", {"email": alice.email})
    assert response.status_code == 503
    assert "Password reset is unavailable for a few minutes" in response.content.decode()
    assert mail.outbox == []


def test_login_throttling_keeps_working_from_the_database(redis_down, client, alice):
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "alice", "password": "wrong"}).status_code == 200
    # the fifth failure locks, even the right password then
    assert client.post("/accounts/login/", {"username": "alice", "password": "wrong"}).status_code == 429
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 429


def test_healthz_says_redis_is_down_and_fails_only_when_strict(redis_down, client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"degraded\ndatabase: up\nredis: down\n"
    response = client.get("/healthz?strict=1")
    assert response.status_code == 503
    assert response.content == b"unavailable\ndatabase: up\nredis: down\n"
