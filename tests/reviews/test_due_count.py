"""The navigation's due counts: true after a review, as the clock moves and after a change of settings."""

from datetime import timedelta

import time_machine

from reviews import services
from reviews.models import Rating
from tests.conftest import logged_in

from .conftest import NOW


def due_badge(client) -> str:
    html = client.get("/accounts/profile/").content.decode()
    start = html.find('<span class="badge rounded-pill text-bg-primary">')
    return html[start:].split(">", 1)[1].split("<", 1)[0] if start >= 0 else ""


def test_the_due_count_follows_a_review_and_the_clock(alice, questions):
    client = logged_in(alice)
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=questions[0], rating=Rating.AGAIN, now=NOW - timedelta(minutes=20))
        services.card_review(user=alice, question=questions[1], rating=Rating.AGAIN, now=NOW)
        assert due_badge(client) == "1 due"
        # A review changes the count at once.
        services.card_review(user=alice, question=questions[0], rating=Rating.EASY, now=NOW)
        assert due_badge(client) == ""
    # Ten minutes on, the second card's learning step falls due.
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        assert due_badge(client) == "1 due"


def test_a_new_daily_limit_is_seen_at_once(alice, questions):
    client = logged_in(alice)
    with time_machine.travel(NOW, tick=False):
        for question in questions[:3]:
            services.card_add(user=alice, question=question, now=NOW)
        assert due_badge(client) == "3 due"
        alice.new_cards_per_day = 1
        alice.save()
        assert due_badge(client) == "1 due"
