import os
import subprocess
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from practice import services
from practice.models import Answer, Attempt, AttemptItem
from questions.models import Question
from tests.factories import QuestionFactory, TagFactory

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()


@pytest.fixture
def answered(alice):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    for _ in range(3):
        QuestionFactory(tags=[tag])
    attempt = services.quiz_start(
        user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=timezone.now()
    )
    item = attempt.items.get()
    services.quiz_answer(
        user=attempt.user, attempt_id=attempt.pk, position=1, choice_id=item.choice_order[0], now=timezone.now()
    )
    return attempt


def test_a_question_with_attempts_cannot_be_deleted_and_the_admin_says_why(staff_client, alice_client, answered):
    question = answered.items.get().question
    response = staff_client.post(f"/admin/questions/question/{question.pk}/delete/", {"post": "yes"})
    html = response.content.decode()
    assert "Cannot delete question" in html or "would require deleting the following protected" in html
    assert Question.objects.filter(pk=question.pk).exists()
    assert alice_client.get(f"/quizzes/{answered.pk}/result/").status_code == 200
    # Unpublishing is the way out, and the attempt stays readable.
    Question.objects.filter(pk=question.pk).update(is_published=False)
    assert question.prompt in alice_client.get(f"/quizzes/{answered.pk}/result/").content.decode()


def test_account_deletion_removes_personal_data(alice_client, alice, answered):
    from tests.conftest import PASSWORD

    alice_client.post("/accounts/delete/", {"delete-password": PASSWORD})
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Attempt.objects.exists() and not AttemptItem.objects.exists() and not Answer.objects.exists()
    assert not User.objects.filter(email="alice@example.com").exists()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    """`make backup` and `make restore` (scripts/backup.sh, scripts/restore.sh) on a real PostgreSQL database."""
    assert connection.vendor == "postgresql"
    from django.core.management import call_command

    call_command("loaddata", "bank", verbosity=0)
    user = User.objects.create_user("backup-user", "b@example.com", "pw-for-backups-123")
    services.quiz_start(user=user, tags=[], difficulty="any", question_count=3, feedback_mode="end", now=timezone.now())
    source = settings.DATABASES["default"]
    target_name = f"{source['NAME']}_restore_check"
    params = {"user": source["USER"], "host": source["HOST"], "port": source["PORT"] or 5432}
    if source.get("PASSWORD"):
        params["password"] = source["PASSWORD"]
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    auth = base["USER"] + (f":{base['PASSWORD']}" if base.get("PASSWORD") else "")
    host = f"{base['HOST']}:{base['PORT'] or 5432}"
    source_url = f"postgres://{auth}@{host}/{source['NAME']}"
    target_url = f"postgres://{auth}@{host}/{target_name}"
    dump = tmp_path / "round-trip.dump"
    env = {**os.environ, "PYTHON": str(ROOT / ".venv" / "bin" / "python")}
    try:
        subprocess.run(
            ["bash", "scripts/backup.sh", str(dump)],
            cwd=ROOT,
            env={**env, "DATABASE_URL": source_url},
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert dump.stat().st_size > 10_000
        subprocess.run(
            ["bash", "scripts/restore.sh", str(dump)],
            cwd=ROOT,
            env={**env, "DATABASE_URL": target_url},
            check=True,
            capture_output=True,
            timeout=120,
        )
        restored = psycopg2.connect(dbname=target_name, **params)
        with restored.cursor() as cursor:
            counts = []
            for table in (
                "questions_question",
                "questions_choice",
                "accounts_user",
                "practice_attempt",
                "practice_attemptitem",
            ):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                counts.append(cursor.fetchone()[0])
        restored.close()
        assert counts == [
            Question.objects.count(),
            4 * Question.objects.count(),
            User.objects.count(),
            Attempt.objects.count(),
            AttemptItem.objects.count(),
        ]
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.close()
