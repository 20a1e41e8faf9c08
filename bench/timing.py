"""In-process server time of a page: Django's whole request handling, without network or browser."""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

HEAVY_CANDIDATE = "bench-progress"
HEAVY_ATTEMPTS = 2000


def time_page(client: Client, url: str, *, runs: int = 30, warmup: int = 5) -> tuple[list[float], list[str]]:
    """Sorted times in ms of `runs` GETs of `url` after a warm-up, and the SQL of one more (BEGIN/COMMIT left out)."""
    for _ in range(warmup):
        client.get(url)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return sorted(timings), [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]


def ensure_heavy_candidate():
    """The candidate with 2,000 attempts (about 20,000 answers) over 60 days; created once, then reused."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from practice.models import Attempt

    user = get_user_model().objects.filter(username=HEAVY_CANDIDATE).first()
    if user is None or Attempt.objects.filter(user=user).count() != HEAVY_ATTEMPTS:
        call_command(
            "seed_demo_history",
            HEAVY_CANDIDATE,
            "--create",
            "--replace",
            "--attempts",
            str(HEAVY_ATTEMPTS),
            "--days",
            "60",
            "--quiz-length",
            "12",
            "--seed",
            "7",
            verbosity=0,
        )
        user = get_user_model().objects.get(username=HEAVY_CANDIDATE)
    return user
