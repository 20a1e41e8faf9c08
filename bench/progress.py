"""Server time of the progress page for a candidate with 2,000 attempts and ~20,000 answers.

Run with `make bench-progress`. Uses PostgreSQL (BENCH_DATABASE_URL, default a database named
interviewprep_bench on the local server), production settings (debug off), and Django's own request
handler in-process, so the figure is the server's time for the whole request: middleware, view,
queries and template, without network or browser.
"""

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interviewprep_bench"
)
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["DJANGO_SETTINGS_MODULE"] = "interviewprep.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.timing import HEAVY_ATTEMPTS as ATTEMPTS  # noqa: E402
from bench.timing import ensure_heavy_candidate, time_page  # noqa: E402
from practice.models import Answer  # noqa: E402

RUNS = 30


def main() -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("loaddata", "bank", verbosity=0)
    user = ensure_heavy_candidate()
    answers = Answer.objects.filter(item__attempt__user=user).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    timings, queries = time_page(client, "/progress/", runs=RUNS)
    print(f"Progress page, {ATTEMPTS} attempts and {answers} answers, {RUNS} runs on {connection.vendor}:")
    print(
        f"  median {statistics.median(timings):.1f} ms, p90 {timings[int(RUNS * 0.9) - 1]:.1f} ms, "
        f"min {timings[0]:.1f} ms; {len(queries)} queries (BEGIN/COMMIT aside)"
    )
    if "-v" in sys.argv:
        for sql in queries:
            print("   ", sql[:140])


if __name__ == "__main__":
    main()
