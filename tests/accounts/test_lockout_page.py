"""The locked-out page says how long in words and when to retry, not "PT15M"."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.lockout import duration_words
from tests.conftest import PASSWORD


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_locked_out_page_says_fifteen_minutes_and_the_time_to_retry(client, alice):
    start = datetime(2026, 3, 2, 9, 40, 30, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            login(client, "alice", "wrong")
        html = login(client, "alice", PASSWORD).content.decode()
    assert "PT15M" not in html
    assert "paused for 15 minutes after five wrong passwords" in html
    retry = '<time datetime="2026-03-02T09:55:30+00:00" data-local-time>09:55 UTC</time>'
    assert f"Try again in 15 minutes, at {retry}" in html
    assert "js/localtime.js" in html  # shown in the browser's own zone when script runs

    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        html = login(client, "alice", PASSWORD).content.decode()
    # django-axes counts a try during the lock as a failure, which starts the wait again: the page says so.
    assert "Try again in 15 minutes, at" in html and "10:01 UTC" in html
    assert "Each try before then starts the wait again." in html


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=20), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "1 hour 30 minutes"),
        (timedelta(hours=2), "2 hours"),
    ],
)
def test_durations_in_words(delta, words):
    assert duration_words(delta) == words
