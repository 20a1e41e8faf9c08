"""Issue 14: sign-up and password reset tell nobody which email addresses have accounts."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

User = get_user_model()


def sign_up(client, username, email):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": "long-enough-pass-99", "password2": "long-enough-pass-99"},
    )


def test_sign_up_with_a_taken_email_answers_as_a_new_one_and_tells_the_owner(alice, mailoutbox):
    fresh, taken = Client(), Client()
    new = sign_up(fresh, "newcomer", "newcomer@example.com")
    again = sign_up(taken, "intruder", "Alice@Example.com")
    assert (new.status_code, new["Location"]) == (again.status_code, again["Location"]) == (302, "/")
    assert fresh.get("/").content.decode().count("Welcome to InterviewPrep") == 1
    page = taken.get("/").content.decode()
    assert "Welcome to InterviewPrep, intruder" in page and "already exists" not in page
    # The account exists, without the address; the address's owner is told, the intruder is not.
    assert User.objects.get(username="intruder").email == ""
    assert User.objects.get(username="alice").email == "alice@example.com"
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]
    assert "tried to sign up" in mailoutbox[0].subject and "intruder" not in mailoutbox[0].body


def test_sign_up_still_says_a_username_is_taken(alice):
    response = sign_up(Client(), "alice", "someone-else@example.com")
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert User.objects.filter(username="alice").count() == 1


def _post_through_the_server(path: str, data: dict):
    """POST as a WSGI server would, returning the response before the server closes it."""
    token = secrets.token_hex(16)  # an unmasked CSRF secret is a valid token for itself
    request = RequestFactory().post(
        path, {**data, "csrfmiddlewaretoken": token}, HTTP_COOKIE=f"{settings.CSRF_COOKIE_NAME}={token}"
    )
    return WSGIHandler()(request.environ, lambda status, headers: None)


def test_password_reset_answers_before_any_mail_is_sent(alice, mailoutbox):
    # The test transaction must outlive the requests, as in Django's test client.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        known = _post_through_the_server("/accounts/password_reset/", {"email": "alice@example.com"})
        unknown = _post_through_the_server("/accounts/password_reset/", {"email": "nobody@example.com"})
        # Same answer, and nothing sent yet: rendering and SMTP happen after the response, for either address.
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert known.status_code == 302 and mailoutbox == []
        known.close()
        unknown.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]
    assert "/accounts/reset/" in mailoutbox[0].body
