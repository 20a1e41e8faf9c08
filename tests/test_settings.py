import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the developer's own .env either (make run writes one): only what the test passes.
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {"DJANGO_ENV_FILE": os.devnull}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-like-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="interviewprep.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_defaults_off():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", DJANGO_SECRET_KEY="x" * 60
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_numbers_and_dates_keep_the_british_formats_without_translation():
    import datetime

    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import date

    assert intcomma(20000) == "20,000"
    assert date(datetime.date(2026, 11, 21)) == "21 Nov 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ops@example.com", [["", "ops@example.com"]]),
        ("Ops Team <ops@example.com>, dev@example.com", [["Ops Team", "ops@example.com"], ["", "dev@example.com"]]),
        ("", []),
    ],
)
def test_admins_accept_bare_addresses_and_named_ones(value, expected):
    # Regression: a bare address (no "Name <...>") parsed to an empty list, so nobody got the error emails.
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; print(json.dumps(settings.ADMINS))",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ADMINS=value,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


def test_make_run_writes_a_dotenv_once_that_makes_manage_py_commands_work(tmp_path):
    env_file = tmp_path / ".env"
    make = ["make", "--no-print-directory", "-C", str(ROOT), f"ENV_FILE={env_file}", str(env_file)]
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    first = env_file.read_text()
    assert "DJANGO_DEBUG=1" in first
    key = next(line for line in first.splitlines() if line.startswith("DJANGO_SECRET_KEY="))
    assert len(key.partition("=")[2]) >= 50
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    assert env_file.read_text() == first, "a second make run must keep the same secret key"

    # What the README shows (createsuperuser, seed_demo_history) needs settings that load: no DJANGO_* set.
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY))",
        DJANGO_ENV_FILE=str(env_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", str(len(key.partition("=")[2]))]


def test_the_environment_wins_over_the_dotenv(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=from-the-file\n")
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_ENV_FILE=str(env_file),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="y" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
