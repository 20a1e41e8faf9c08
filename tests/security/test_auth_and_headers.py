import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD

User = get_user_model()
ROOT = Path(__file__).resolve().parents[2]


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_is_locked_after_five_failures_for_fifteen_minutes(client, alice, bob):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert login(client, "alice", "wrong").status_code == 200
        assert login(client, "alice", "wrong").status_code == 429  # the fifth failure locks
        locked = login(client, "alice", PASSWORD)
        assert locked.status_code == 429
        assert "Try again in 15 minutes" in locked.content.decode()
        assert "_auth_user_id" not in client.session
        # Another user from the same address is not affected.
        assert login(Client(), "bob", PASSWORD).status_code == 302
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert login(client, "alice", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, alice):
    for _ in range(4):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302


def test_sign_up_is_limited_per_ip(client, db, settings):
    settings.SIGNUP_RATE_PER_HOUR = 3
    for n in range(3):
        client.post("/accounts/signup/", {"username": f"u{n}", "email": "bad"})
    response = client.post(
        "/accounts/signup/",
        {
            "username": "late",
            "email": "late@example.com",
            "password1": "long-enough-pass-99",
            "password2": "long-enough-pass-99",
        },
    )
    assert response.status_code == 429 and "Too many sign-ups" in response.content.decode()
    assert not User.objects.filter(username="late").exists()
    other_ip = Client(REMOTE_ADDR="10.9.8.7")
    assert other_ip.get("/accounts/signup/").status_code == 200


def test_password_reset_is_limited_per_ip(client, alice, settings, mailoutbox):
    settings.PASSWORD_RESET_RATE_PER_HOUR = 2
    for _ in range(2):
        client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 429
    assert len(mailoutbox) == 2


def test_security_headers(client, db):
    response = client.get("/", secure=True)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_session_and_csrf_cookies_are_host_prefixed_secure_and_http_only(client, alice):
    page = client.get("/accounts/login/")
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    response = login(client, "alice", PASSWORD)
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def test_no_inline_script_or_style_in_templates():
    for path in (ROOT / "templates").rglob("*.html"):
        if "admin" in path.parts:
            continue
        text = path.read_text()
        assert not INLINE_SCRIPT.search(text), f"inline <script> in {path}"
        assert "<style" not in text and "style=" not in text, f"inline style in {path}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {path}"


def test_pages_render_without_inline_script(alice_client, db):
    for url in ("/", "/questions/", "/quizzes/new/", "/interviews/new/", "/progress/", "/accounts/profile/"):
        html = alice_client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert " style=" not in html, url


def test_healthz_needs_no_session_and_reports_the_database(
    client, db, django_assert_num_queries, monkeypatch, settings
):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    redis = b"redis: up\n" if settings.REDIS_URL else b""  # the second pass of make test
    assert response.status_code == 200 and response.content == b"ok\ndatabase: up\n" + redis
    assert "Set-Cookie" not in response.headers and not response.cookies

    from django.db import connection

    def broken():
        raise RuntimeError("database down")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503


def test_logs_are_json_lines_with_the_request_id(client, db, capsys):
    from interviewprep.logging import JsonFormatter, RequestIdFilter, request_id_var

    token = request_id_var.set("abc12345")
    try:
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello world" and line["request_id"] == "abc12345" and line["level"] == "WARNING"
    response = client.get("/", HTTP_X_REQUEST_ID="proxy-id-1234")
    assert response["X-Request-ID"] == "proxy-id-1234"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id!").headers["X-Request-ID"] != "bad id!"


def test_custom_error_pages_leak_nothing(client, alice_client, db):
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404 and "Page not found" in html and "Traceback" not in html
    assert "urlpatterns" not in html and "Django" not in html
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and "Not allowed" in response.content.decode()
    assert "CSRF" not in response.content.decode()


def test_server_error_page(client, db, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "{%" not in html


def test_admins_come_from_the_environment():
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ADMINS": "Ops Team <ops@example.com>, Ana <ana@example.com>",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.ADMINS)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "('Ops Team', 'ops@example.com'), ('Ana', 'ana@example.com')" in out
