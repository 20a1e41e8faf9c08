"""Sign-up tells every rule a weak password breaks at once, and keeps what can safely be kept."""

import re

import pytest

SIGNUP = "/accounts/signup/"


def errors_under(html: str, field: str) -> list[str]:
    return re.findall(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)


@pytest.mark.django_db
def test_weak_password_errors_show_even_when_the_confirmation_differs(client):
    response = client.post(
        SIGNUP,
        {"username": "nova", "email": "nova@example.com", "password1": "1234", "password2": "12345"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    password_errors = errors_under(html, "password1")
    assert any("too short" in e for e in password_errors), password_errors
    assert any("too common" in e for e in password_errors), password_errors
    assert any("entirely numeric" in e for e in password_errors), password_errors
    assert any("match" in e and "didn" in e for e in errors_under(html, "password2"))


@pytest.mark.django_db
def test_failed_sign_up_keeps_username_and_email_but_never_the_password(client):
    html = client.post(
        SIGNUP,
        {"username": "nova", "email": "nova@example.com", "password1": "nova12", "password2": "nova12"},
    ).content.decode()
    assert re.search(r'name="username"[^>]*value="nova"', html)
    assert re.search(r'name="email"[^>]*value="nova@example.com"', html)
    assert "nova12" not in html
    assert any("too short" in e for e in errors_under(html, "password1"))
