"""Issue 14: login lockout by every spelling, the client address behind proxies, spraying, current passwords."""

import logging

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

import interviewprep.settings as production
from tests.conftest import PASSWORD
from tests.factories import UserFactory

User = get_user_model()

# Every way of naming the account at the log-in form: the username and the email address, in any case.
SPELLINGS = [
    "victim",
    "VICTIM",
    "Victim",
    "victim@example.com",
    "VICTIM@example.com",
    "Victim@Example.com",
    "victim@EXAMPLE.COM",
    " Victim@example.com ",
]


def login(client, username="victim", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def victim(db):
    return UserFactory(username="victim", email="victim@example.com")


@pytest.mark.parametrize("locked_with", range(len(SPELLINGS)))
def test_every_spelling_of_an_account_counts_against_one_lockout(victim, locked_with):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    # Five failures, each in another spelling (starting at a different one each time)...
    for n in range(5):
        login(attacker, SPELLINGS[(locked_with + n) % len(SPELLINGS)], "wrong")
    # ...lock the account for this address in every spelling, the right password included.
    for spelling in SPELLINGS:
        assert login(attacker, spelling).status_code == 429, spelling
    assert "_auth_user_id" not in attacker.session
    # The victim still signs in from their own address, by username or by email.
    assert login(Client(REMOTE_ADDR="198.51.100.20"), "victim").status_code == 302
    assert login(Client(REMOTE_ADDR="198.51.100.21"), "Victim@Example.com").status_code == 302


def test_unknown_names_count_under_the_normalised_input(db):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for spelling in ("Nobody@Example.com", "nobody@example.com", "NOBODY@EXAMPLE.COM", " nobody@example.com"):
        assert login(attacker, spelling, "wrong").status_code == 200
    assert login(attacker, "nobody@Example.COM", "wrong").status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(victim, settings):
    settings.PROXY_COUNT = 0
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        attacker.post(
            "/accounts/login/", {"username": "victim", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
    # Still one address: locked, whatever the header says.
    assert login(attacker).status_code == 429
    forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert login(forged).status_code == 429


def test_behind_a_proxy_each_client_has_its_own_lockout(victim, settings):
    settings.PROXY_COUNT = 1
    # Every request comes from the load balancer (10.0.0.2), which appends the client's address.
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        login(attacker, "victim", "wrong")
    assert login(attacker).status_code == 429
    # Entries the attacker writes on the left are not trusted: still the same client.
    forging = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.9")
    assert login(forging).status_code == 429
    # The victim, through the same balancer from another address, is not locked out.
    victim_client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert login(victim_client).status_code == 302


def test_behind_two_proxies_the_client_is_the_second_address_from_the_right(victim, settings):
    settings.PROXY_COUNT = 2
    attacker = Client(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9, 10.0.0.2")
    for _ in range(5):
        login(attacker, "victim", "wrong")
    assert login(attacker).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.20, 10.0.0.2")
    assert login(other).status_code == 302


def test_behind_a_proxy_sign_up_limits_are_per_client(db, settings):
    settings.PROXY_COUNT = 1
    settings.SIGNUP_RATE_PER_HOUR = 2
    first = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(2):
        first.post("/accounts/signup/", {"username": "x", "email": "bad"})
    assert first.post("/accounts/signup/", {"username": "x"}).status_code == 429
    second = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert second.post("/accounts/signup/", {"username": "x", "email": "bad"}).status_code == 200


def test_the_logs_carry_the_client_address(db, settings):
    from interviewprep.logging import JsonFormatter, RequestIdFilter

    settings.PROXY_COUNT = 1
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9").get("/no/such/page/")
    finally:
        logger.removeHandler(handler)
    assert records and '"client_ip": "203.0.113.9"' in records[-1]


def test_password_spraying_is_limited_per_address(db, settings):
    """40 failures over 10 usernames from one address went unthrottled: the per-IP limit stops them."""
    limit = settings.LOGIN_FAILURES_PER_IP_PER_HOUR
    users = [UserFactory(username=f"sprayed{n}") for n in range(10)]
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    failures = 0
    for _ in range(4):  # four tries each: under the per-account lockout of five
        for user in users:
            if failures < limit:
                assert login(sprayer, user.username, "wrong").status_code == 200
                failures += 1
    response = login(sprayer, users[0].username)  # even the right password is refused now
    assert response.status_code == 429 and "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in sprayer.session
    assert login(Client(REMOTE_ADDR="198.51.100.20"), users[0].username).status_code == 302


def test_wrong_current_passwords_lock_like_log_ins(alice):
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(alice)
    for _ in range(3):
        response = client.post(
            "/accounts/password_change/",
            {"old_password": "wrong", "new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77"},
        )
        assert response.status_code == 200
    for _ in range(2):
        assert client.post("/accounts/delete/", {"delete-password": "wrong"}).status_code in (400, 429)
    # Five wrong passwords: the account is locked for this address, even with the right password.
    response = client.post("/accounts/delete/", {"delete-password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=alice.pk).exists()
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77"},
    )
    assert response.status_code == 429
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)
    assert login(Client(REMOTE_ADDR="203.0.113.9"), "alice").status_code == 429
    assert login(Client(REMOTE_ADDR="198.51.100.20"), "alice").status_code == 302


def test_wrong_current_passwords_count_towards_the_per_address_limit(alice, settings):
    settings.LOGIN_FAILURES_PER_IP_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(alice)
    for _ in range(3):
        client.post("/accounts/delete/", {"delete-password": "wrong"})
    response = client.post("/accounts/delete/", {"delete-password": PASSWORD})
    assert response.status_code == 400 and "Too many wrong passwords" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert login(Client(REMOTE_ADDR="203.0.113.9"), "bob-or-anyone", "x").status_code == 429


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgraded_at_log_in(db, settings):
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = hashers
    user = UserFactory(username="old-hash")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert login(Client(), "old-hash").status_code == 302
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # A new password is Argon2 from the start.
    assert make_password("another-password").startswith("argon2$")
