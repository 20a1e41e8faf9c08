import pytest
from django.test import Client

from .factories import UserFactory

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs `collectstatic`; tests read static files from their source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
