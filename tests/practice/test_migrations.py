"""The data step of practice 0003: end reasons from the old timed_out flag, revisions restarted as counters."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("practice", "0002_question_stats")]
AFTER = [("practice", "0003_interview_end_reason_and_revisions")]
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_0003_maps_timed_out_to_end_reasons_and_restarts_revisions():
    apps = migrate(BEFORE)
    try:
        model = apps.get_model
        user = model("accounts", "User").objects.create(username="old-timer")
        question = model("questions", "Question").objects.create(prompt="Why?", answer="Because.", difficulty="basic")
        common = {"user": user, "kind": "interview", "question_count": 1, "started_at": START}
        deadline = START + timedelta(minutes=5)
        attempts = model("practice", "Attempt").objects
        clock = attempts.create(**common, status="finished", timed_out=True, deadline=deadline)
        early = attempts.create(**common, status="finished", timed_out=False, deadline=deadline)
        running = attempts.create(**common, status="active", deadline=deadline)
        item = model("practice", "AttemptItem").objects.create(attempt=running, question=question, position=1)
        model("practice", "Answer").objects.create(item=item, text="frozen", revision=2**63 - 1, answered_at=START)

        model = migrate(AFTER).get_model
        reasons = dict(model("practice", "Attempt").objects.values_list("pk", "end_reason"))
        assert (reasons[clock.pk], reasons[early.pk], reasons[running.pk]) == ("clock", "candidate", "")
        assert model("practice", "Answer").objects.get().revision == 1  # no longer frozen at 2^63-1
    finally:
        migrate(AFTER)
