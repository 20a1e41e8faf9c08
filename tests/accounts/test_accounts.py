import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

User = get_user_model()
SIGNUP = "/accounts/signup/"


def signup_data(**overrides):
    data = {
        "username": "dana",
        "email": "dana@example.com",
        "password1": "a-long-unusual-passphrase-42",
        "password2": "a-long-unusual-passphrase-42",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_form_has_labelled_fields(client):
    html = client.get(SIGNUP).content.decode()
    for label in ("Username", "Email", "Password", "Password confirmation"):
        assert re.search(rf"<label[^>]*>\s*{label}\b", html), label


@pytest.mark.django_db
def test_signup_creates_user_logs_in_and_lands_on_dashboard(client):
    response = client.post(SIGNUP, signup_data(), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert User.objects.filter(username="dana", email="dana@example.com").exists()
    assert response.context["user"].username == "dana"
    assert "Welcome to InterviewPrep, dana" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "alice"}, "A user with that username already exists."),
        ({"username": "ALICE"}, "A user with that username already exists."),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "12345678901", "password2": "12345678901"}, "This password is entirely numeric."),
        ({"password2": "something-else-entirely-9"}, "The two password fields didn"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": ""}, "This field is required."),
    ],
)
def test_signup_rejections_show_message_and_create_nobody(client, alice, overrides, message):
    before = User.objects.count()
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session


def test_login_with_username_or_email_and_logout_needs_post(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.session.get("_auth_user_id") == str(alice.pk)

    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session

    client.post("/accounts/login/", {"username": "ALICE@example.com", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_with_wrong_password_is_refused(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_email_link_sets_a_new_password(client, alice):
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand-new-passphrase-77", "new_password2": "brand-new-passphrase-77"}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase-77")


def test_password_reset_for_unknown_email_sends_nothing_but_says_the_same(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_password_change(alice_client, alice):
    response = alice_client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-31",
            "new_password2": "another-long-phrase-31",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-phrase-31")


def test_profile_edit(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/",
        {
            "email": "alice.new@example.com",
            "display_name": "Alice L.",
            "time_zone": "Europe/London",
            "quiz_length": 20,
            "quiz_feedback": "end",
            "interview_length": 6,
            "interview_minutes_per_question": 4,
            "desired_retention": "0.85",
            "new_cards_per_day": 5,
        },
        follow=True,
    )
    assert "Your profile is saved." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.email, alice.display_name, alice.time_zone, alice.quiz_length) == (
        "alice.new@example.com",
        "Alice L.",
        "Europe/London",
        20,
    )
    assert (alice.desired_retention, alice.new_cards_per_day) == (0.85, 5)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "BOB@example.com", "An account with this email address already exists."),
        ("quiz_length", 0, "Choose a number from 1 to 50."),
        ("quiz_length", 51, "Choose a number from 1 to 50."),
        ("interview_length", 99, "Choose a number from 3 to 15."),
        ("time_zone", "Mars/Olympus", "Select a valid choice."),
        ("desired_retention", "0.5", "Choose a retention from 0.80 to 0.97."),
        ("desired_retention", "0.99", "Choose a retention from 0.80 to 0.97."),
        ("desired_retention", "NaN", "Enter a number."),
        ("new_cards_per_day", 201, "Choose a number from 0 to 200."),
    ],
)
def test_profile_rejects_bad_values_and_changes_nothing(alice_client, alice, bob, field, value, message):
    data = {
        "email": "alice@example.com",
        "display_name": "",
        "time_zone": "UTC",
        "quiz_length": 10,
        "quiz_feedback": "each",
        "interview_length": 5,
        "interview_minutes_per_question": 3,
        "desired_retention": "0.9",
        "new_cards_per_day": 20,
    }
    data[field] = value
    response = alice_client.post("/accounts/profile/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com" and alice.quiz_length == 10 and alice.time_zone == "UTC"
    assert alice.desired_retention == 0.9 and alice.new_cards_per_day == 20


def test_account_deletion_needs_the_right_password(alice_client, alice):
    response = alice_client.post("/accounts/delete/", {"delete-password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()

    assert alice_client.get("/accounts/delete/").status_code == 405

    response = alice_client.post("/accounts/delete/", {"delete-password": PASSWORD}, follow=True)
    assert "Your account and all your data have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert "_auth_user_id" not in alice_client.session


def test_profile_requires_login(client, db):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


def test_email_is_unique_case_insensitively_in_the_database(alice):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="alice2", email="Alice@Example.com", password=PASSWORD)


@pytest.mark.parametrize(("sent", "stored"), [("Europe/Paris", "Europe/Paris"), ("Not/AZone", "UTC"), ("", "UTC")])
def test_signup_keeps_the_browsers_time_zone(client, db, sent, stored):
    client.post(SIGNUP, signup_data(time_zone=sent))
    assert User.objects.get(username="dana").time_zone == stored


def test_superuser_is_created_from_the_environment_only_when_all_three_are_set(db, monkeypatch):
    from django.core.management import CommandError, call_command

    call_command("ensure_superuser")
    assert not User.objects.filter(is_superuser=True).exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD"):
        call_command("ensure_superuser")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-passphrase")
    call_command("ensure_superuser")
    call_command("ensure_superuser")  # idempotent
    admin = User.objects.get(username="root")
    assert admin.is_superuser and admin.is_staff and admin.check_password("a-long-admin-passphrase")
