"""The races that could lose a candidate's words. Nothing acknowledged before the deadline is lost."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from practice import services
from practice.models import INTERVIEW_GRACE, Answer, Attempt, Status
from tests.factories import QuestionFactory, TagFactory, UserFactory

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def interview(transactional_db):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    for _ in range(4):
        QuestionFactory(tags=[tag])
    user = UserFactory()
    return services.interview_start(user=user, tags=[], difficulty="any", question_count=3, minutes=10, now=START)


def race(*calls):
    """Run the calls at the same moment in threads; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n, call):
        try:
            barrier.wait()
            results[n] = call()
        except Exception as exc:
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def save(attempt, text, revision, now):
    return lambda: services.interview_save_answer(attempt=attempt, position=1, text=text, revision=revision, now=now)


@pytest.mark.parametrize("repeat", range(3))
def test_two_tabs_saving_the_same_answer_never_overwrite_each_other(interview, repeat):
    """Both tabs saw revision 0: one save is stored, the other is refused (and told), never both."""
    now = START + timedelta(minutes=1)
    results = race(save(interview, "tab one", 0, now), save(interview, "tab two", 0, now))
    stored = [r for r in results if isinstance(r, services.SaveResult)]
    refused = [r for r in results if isinstance(r, services.AnswerConflictError)]
    assert len(stored) == 1 and len(refused) == 1
    answer = Answer.objects.get(item__attempt=interview, item__position=1)
    assert (answer.text, answer.revision) == (stored[0].answer.text, 1)
    assert refused[0].answer.text == answer.text  # the refused tab is shown the text that won


@pytest.mark.parametrize("repeat", range(3))
def test_a_save_racing_the_deadline_is_either_kept_or_refused(interview, repeat):
    at_deadline = interview.deadline + INTERVIEW_GRACE - timedelta(milliseconds=1)
    after_grace = interview.deadline + INTERVIEW_GRACE + timedelta(seconds=1)
    results = race(
        save(interview, "just in time", 10, at_deadline),
        lambda: services.close_expired_interviews(now=after_grace),
    )
    saved, _closed = results
    interview.refresh_from_db()
    answer = Answer.objects.filter(item__attempt=interview, item__position=1).first()
    if isinstance(saved, services.SaveResult):
        assert answer is not None and answer.text == "just in time"
    else:
        assert isinstance(saved, services.DeadlinePassedError) and answer is None
    assert interview.status == Status.FINISHED


@pytest.mark.parametrize("repeat", range(3))
def test_a_finish_racing_a_save_never_drops_an_acknowledged_save(interview, repeat):
    now = START + timedelta(minutes=2)
    results = race(
        save(interview, "typed while finishing", 5, now), lambda: services.interview_finish(attempt=interview, now=now)
    )
    saved = results[0]
    answer = Answer.objects.filter(item__attempt=interview, item__position=1).first()
    interview.refresh_from_db()
    assert interview.status == Status.FINISHED
    if isinstance(saved, services.SaveResult):
        # Acknowledged: stored, and scored in the review (coverage computed at finish or before).
        assert answer.text == "typed while finishing" and answer.coverage is not None
    else:
        assert isinstance(saved, services.DeadlinePassedError) and answer is None


def test_nothing_after_deadline_plus_grace_is_accepted(interview):
    late = interview.deadline + INTERVIEW_GRACE + timedelta(microseconds=1)
    with pytest.raises(services.DeadlinePassedError):
        save(interview, "too late", 1, late)()
    assert not Answer.objects.filter(item__attempt=interview).exists()


def test_state_survives_a_server_restart_between_saves(interview):
    user = interview.user
    first = Client()
    first.force_login(user)
    import time_machine

    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        assert first.post(
            f"/interviews/{interview.pk}/save/", {"position": 1, "text": "before restart", "revision": 1}
        ).json()["ok"]
    # A restart: every connection and every in-memory object is gone; only the database remains.
    connection.close()
    close_old_connections()
    second = Client()
    second.force_login(Attempt.objects.get(pk=interview.pk).user)
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        html = second.get(f"/interviews/{interview.pk}/").content.decode()
        assert "before restart" in html and ">08:00<" in html
        assert second.post(
            f"/interviews/{interview.pk}/save/", {"position": 2, "text": "after restart", "revision": 2}
        ).json()["ok"]
    texts = dict(Answer.objects.filter(item__attempt=interview).values_list("item__position", "text"))
    assert texts == {1: "before restart", 2: "after restart"}
