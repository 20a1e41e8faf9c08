"""Issue 14: malformed session cookies, cache and security headers, gunicorn's name, caps, CSV and bank import."""

import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from practice import services
from practice.models import Answer, Attempt, AttemptItem, Status
from questions.models import Question
from tests.factories import QuestionFactory, TagFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bank(db):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    return [QuestionFactory(tags=[tag]) for _ in range(3)]


# ---------------------------------------------------------------- session cookies


@pytest.mark.parametrize(
    "cookie",
    [
        '"' + "\\000" * 32 + '"',  # NUL bytes, as the attacker sent them (octal escapes in a quoted cookie)
        "x" * 10_000,
        "abc",
        "../../etc/passwd",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456",
    ],
)
def test_a_malformed_session_cookie_is_no_session(db, alice, cookie):
    client = Client(raise_request_exception=False)
    header = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    assert client.get("/", HTTP_COOKIE=header).status_code == 200
    response = client.get("/progress/", HTTP_COOKIE=header)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"}, HTTP_COOKIE=header)
    assert response.status_code == 200


def test_a_valid_session_cookie_still_signs_in(alice_client):
    assert alice_client.get("/progress/").status_code == 200


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "url", ["/", "/questions/", "/progress/", "/progress/export.csv", "/accounts/profile/", "/quizzes/new/"]
)
def test_signed_in_pages_and_the_csv_are_never_cached(alice_client, bank, url):
    response = alice_client.get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives


def test_healthz_has_the_security_headers(client, db):
    response = client.get("/healthz", secure=True)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200  # load balancers probe over plain HTTP
    assert client.get("/questions/").status_code == 301


def test_gunicorn_does_not_name_itself(db):
    """`gunicorn interviewprep.wsgi` as `make serve` runs it: no `Server: gunicorn` header."""
    env = {**os.environ, "DJANGO_SECURE_SSL_REDIRECT": "0"}
    command = [str(Path(sys.executable).with_name("gunicorn")), "interviewprep.wsgi", "--bind", "127.0.0.1:0"]
    server = subprocess.Popen(
        [*command, "--workers", "1", "--log-level", "info"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        for line in server.stderr:  # the master says where it listens, then boots the worker
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            port = port or (found and found.group(1))
            if port and "Booting worker" in line:
                break
        assert port, "gunicorn did not start"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as response:
            headers = response.headers
        assert "gunicorn" not in str(headers).lower()
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


# ---------------------------------------------------------------- caps on attempts


def start_quiz(client):
    return client.post(
        "/quizzes/new/", {"difficulty": "any", "length": "custom", "custom_length": "1", "feedback_mode": "end"}
    )


def test_active_attempts_per_candidate_are_capped(alice, alice_client, bank):
    now = timezone.now()
    for n in range(services.MAX_ACTIVE_ATTEMPTS):
        start = services.quiz_start if n % 2 else services.interview_start
        kwargs = {"feedback_mode": "end"} if n % 2 else {"minutes": 30}
        start(user=alice, tags=[], difficulty="any", question_count=1, now=now, **kwargs)
    count = Attempt.objects.count()
    response = start_quiz(alice_client)
    assert response.status_code == 400 and "unfinished quizzes and interviews" in response.content.decode()
    response = alice_client.post("/interviews/new/", {"difficulty": "any", "question_count": "3", "minutes": "10"})
    assert response.status_code == 400 and "unfinished quizzes and interviews" in response.content.decode()
    assert Attempt.objects.count() == count
    # Finishing or abandoning one makes room again.
    services.attempt_abandon(attempt=Attempt.objects.filter(user=alice).first(), now=now)
    assert start_quiz(alice_client).status_code == 302


def test_starts_per_hour_are_capped(alice, alice_client, bank):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        for _ in range(services.MAX_STARTS_PER_HOUR):
            attempt = services.quiz_start(
                user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=timezone.now()
            )
            services.attempt_abandon(attempt=attempt, now=timezone.now())
        response = start_quiz(alice_client)
        assert response.status_code == 400 and "in the last hour" in response.content.decode()
    assert Attempt.objects.filter(status=Status.ACTIVE).count() == 0
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        assert start_quiz(alice_client).status_code == 302


# ---------------------------------------------------------------- CSV export


FORMULAS = [
    "  =1+1",
    ' \t=HYPERLINK("http://evil")',
    "\n=cmd|' /C calc'!A0",
    "\r\n+SUM(A1:A9)",
    "\t-2+3",
    "harmless; =cmd|' /C calc'!A0",
    "harmless,@SUM(A1)",
    "a;\n -1+1",
]


def test_csv_export_neutralises_hidden_and_separated_formulas(alice, alice_client, bank):
    for _ in range(len(FORMULAS) - len(bank)):
        QuestionFactory(tags=bank[0].tags.all())
    now = timezone.now()
    attempt = services.interview_start(
        user=alice, tags=[], difficulty="any", question_count=len(FORMULAS), minutes=30, now=now
    )
    items = AttemptItem.objects.filter(attempt=attempt).order_by("position")
    Answer.objects.bulk_create(
        Answer(item=item, text=text, answered_at=now) for item, text in zip(items, FORMULAS, strict=True)
    )
    response = alice_client.get("/progress/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["row"] == "answer"]
    assert sorted(r["answer"] for r in rows) == sorted("'" + text for text in FORMULAS)
    # Every cell is quoted, so a separator inside a value never starts a new cell.
    for line in body.splitlines()[:2]:
        assert line.startswith('"') and line.endswith('"')


def test_csv_export_leaves_plain_text_and_numbers_alone():
    from practice.export import safe

    assert safe("Gradients flow backwards, layer by layer") == "Gradients flow backwards, layer by layer"
    assert safe("a-b and x+y") == "a-b and x+y"
    assert safe(-3) == "-3"


# ---------------------------------------------------------------- bank import in the admin


def import_file(staff_client, content: bytes):
    upload = SimpleUploadedFile("bank.json", content, content_type="application/json")
    return staff_client.post("/admin/questions/question/import/", {"file": upload})


def test_admin_import_of_deeply_nested_json_is_refused_with_a_message(staff_client, db):
    for content in (b"[" * 100_000 + b"]" * 100_000, json.dumps([{"model": [[[[[[["x"]]]]]]]}]).encode()):
        response = import_file(staff_client, content)
        assert response.status_code == 400
        assert "nests lists or objects too deeply" in response.content.decode()
    assert not Question.objects.exists()


def test_admin_import_of_bogus_records_lists_the_first_twenty_problems(staff_client, db):
    bogus = [{"model": "auth.user" + "x" * 1000, "pk": n, "fields": {}} for n in range(5000)]
    response = import_file(staff_client, json.dumps(bogus).encode())
    html = response.content.decode()
    assert response.status_code == 400
    assert "the file has 5000 problem(s), the first 20 are listed below" in html
    assert html.count("unknown model") == 20
    assert len(response.content) < 50_000


def test_admin_import_refuses_a_file_that_is_too_large(staff_client, db):
    response = import_file(staff_client, b" " * (10 * 1024 * 1024 + 1))
    assert response.status_code == 400 and "larger than 10 MB" in response.content.decode()
