"""The stored per-question aggregates behind the mastery table always equal a recomputation from the attempts."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from practice import progress, services, stats
from practice.models import Attempt, QuestionStat, Status
from tests.factories import QuestionFactory, TagFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def snapshot(user_ids=None) -> set[tuple]:
    rows = QuestionStat.objects.all()
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return {
        (r.user_id, r.question_id, r.quiz_answered, r.quiz_correct, r.interview_items, round(r.coverage_sum, 6))
        for r in rows
    }


def rebuilt(user_ids) -> set[tuple]:
    kept = snapshot(user_ids)
    stats.rebuild(user_ids)
    fresh = snapshot(user_ids)
    return kept, fresh


@pytest.fixture
def bank(db):
    tags = [TagFactory(slug=f"t{n}", name=f"Topic {n}") for n in range(3)]
    return [QuestionFactory(tags=[tags[n % 3]], key_points=["gradient", "layer"]) for n in range(12)]


@pytest.mark.parametrize("seed", range(6))
def test_kept_aggregates_equal_a_rebuild_after_any_practice(alice, bob, bank, seed):
    rng = random.Random(seed)
    now = NOW
    for _ in range(14):
        user = rng.choice([alice, bob])
        now += timedelta(minutes=rng.randint(1, 90))
        action = rng.choice(["quiz", "quiz", "interview", "timeout", "reset"])
        if action == "quiz":
            attempt = services.quiz_start(
                user=user, tags=[], difficulty="any", question_count=rng.randint(2, 6), feedback_mode="end", now=now
            )
            items = list(attempt.items.select_related("question").order_by("position"))
            for item in items[: rng.randint(0, len(items))]:
                choice = rng.choice(list(item.question.choices.all()))
                services.quiz_answer(
                    user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=now
                )
                # A double submit counts once.
                services.quiz_answer(
                    user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=now
                )
            attempt.refresh_from_db()
            if attempt.status == Status.FINISHED and rng.random() < 0.5:
                services.quiz_retry_wrong(attempt=attempt, now=now)
            elif attempt.is_active and rng.random() < 0.5:
                services.attempt_abandon(attempt=attempt, now=now)
        elif action in ("interview", "timeout"):
            attempt = services.interview_start(
                user=user, tags=[], difficulty="any", question_count=3, minutes=5, now=now
            )
            for position in range(1, rng.randint(1, 4)):
                text = rng.choice(["gradient", "a layer and a gradient", "no idea"])
                services.interview_save_answer(attempt=attempt, position=position, text=text, revision=None, now=now)
            if action == "interview":
                services.interview_finish(attempt=attempt, now=now + timedelta(minutes=1))
            else:
                services.close_expired_interviews(now=now + timedelta(minutes=10))
        else:
            services.progress_reset(user=user)
    kept, fresh = rebuilt([alice.pk, bob.pk])
    assert kept == fresh
    assert Attempt.objects.exists()


def test_mastery_comes_from_the_aggregates_in_one_small_query(alice, bank, django_assert_num_queries):
    attempt = services.quiz_start(user=alice, tags=[], difficulty="any", question_count=4, feedback_mode="end", now=NOW)
    for n, item in enumerate(attempt.items.order_by("position")):
        choice = item.question.choices.filter(is_correct=n < 3).first()
        services.quiz_answer(
            user=attempt.user, attempt_id=attempt.pk, position=item.position, choice_id=choice.pk, now=NOW
        )
    with django_assert_num_queries(1):
        rows = progress.mastery(alice)
    assert sum(r["quiz_answered"] for r in rows) == 4
    assert sum(r["seen"] for r in rows) == 4
    assert round(sum(r["accuracy"] * r["quiz_answered"] / 100 for r in rows if r["quiz_answered"])) == 3


def test_seeded_history_has_its_aggregates(db, bank):
    call_command("seed_demo_history", "demo", "--create", "--attempts", "15", "--days", "5", "--seed", "3")
    from accounts.models import User

    demo = User.objects.get(username="demo")
    kept, fresh = rebuilt([demo.pk])
    assert kept == fresh and len(kept) > 0
