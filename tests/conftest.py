import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client

from .factories import UserFactory

PASSWORD = "correct-horse-battery-staple"
# `make test` runs the suite twice: on the database cache, then with REDIS_URL set (the production path), where a
# signed-in request reads its session from Redis instead of the database. Query budgets count it with this.
SESSION_QUERY = 0 if django_settings.REDIS_URL else 1
# The bank cache (on with Redis) answers what an earlier request of the same test has read from the bank.
BANK_QUERY = 0 if django_settings.BANK_CACHE else 1


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs `collectstatic`; tests read static files from their source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Nothing a test leaves in Redis (rate-limit counters, sessions, the bank) reaches the next one. The database
    # cache needs nothing: its rows go with each test's transaction.
    for alias, config in settings.CACHES.items():
        if config["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
            caches[alias].clear()


@pytest.fixture
def alice(db):
    """The candidate who owns the objects under test."""
    return UserFactory(username="alice", email="alice@example.com", password=PASSWORD)


@pytest.fixture
def bob(db):
    """Another candidate, who must never see alice's data."""
    return UserFactory(username="bob", email="bob@example.com", password=PASSWORD)


@pytest.fixture
def charlie(db):
    """A staff editor."""
    return UserFactory(
        username="charlie", email="charlie@example.com", password=PASSWORD, is_staff=True, is_superuser=True
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return logged_in(alice)


@pytest.fixture
def bob_client(bob):
    return logged_in(bob)


@pytest.fixture
def staff_client(charlie):
    return logged_in(charlie)
