"""In-process server time of a page: Django's whole request handling, without network or browser."""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


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
