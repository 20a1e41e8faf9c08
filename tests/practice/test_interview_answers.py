"""Issue 13: no path from typing to the review drops a word without telling; the review tells the truth."""

import csv
import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from practice import services
from practice.models import INTERVIEW_GRACE, Answer, Attempt, EndReason, Status
from tests.factories import QuestionFactory, TagFactory

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def bank(db):
    cnn = TagFactory(slug="cnn", name="CNN")
    rnn = TagFactory(slug="rnn", name="RNN")
    return [QuestionFactory(tags=[cnn if n % 2 else rnn]) for n in range(8)]


@pytest.fixture
def interview(alice, bank):
    return services.interview_start(user=alice, tags=[], difficulty="any", question_count=3, minutes=10, now=START)


def autosave(client, attempt, position, text, revision, tab=""):
    return client.post(
        f"/interviews/{attempt.pk}/save/", {"position": position, "text": text, "revision": revision, "tab": tab}
    )


def stored(attempt, position=1) -> Answer:
    return Answer.objects.get(item__attempt=attempt, item__position=position)


# ---------------------------------------------------------------- 1. finish stores the newest text


@pytest.mark.parametrize("tab", ["", "tab-a"])  # without JavaScript (no tab id) and with it
def test_finish_stores_text_newer_than_the_autosave(alice_client, interview, tab):
    """Failed before: the hidden revision-1 carried the stored revision, so the finish's newer text was "not
    stored" and the review showed the autosaved words only."""
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        assert autosave(alice_client, interview, 1, "Gradients flow", 0, tab).json()["revision"] == 1
        html = alice_client.get(f"/interviews/{interview.pk}/").content.decode()
        assert 'name="revision-1" value="1"' in html
        response = alice_client.post(
            f"/interviews/{interview.pk}/finish/",
            {"answer-1": "Gradients flow back through every layer.", "revision-1": 1, "tab": tab},
        )
        assert response.url == f"/interviews/{interview.pk}/review/"
        review = alice_client.get(response.url).content.decode()
    assert stored(interview).text == "Gradients flow back through every layer."
    assert "Gradients flow back through every layer." in review
    assert "Finished by you before the time was up" in review


def test_finish_while_the_tabs_own_autosave_is_in_flight_keeps_the_newest_text(alice_client, interview):
    """The autosave of revision 1 lands; the finish, sent before its answer came back, still says revision 0."""
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        autosave(alice_client, interview, 1, "Gradients", 0, tab="tab-a")
        alice_client.post(
            f"/interviews/{interview.pk}/finish/",
            {"answer-1": "Gradients and layers", "revision-1": 0, "tab": "tab-a"},
        )
    assert stored(interview).text == "Gradients and layers"


def test_submit_at_zero_stores_the_last_second_and_says_ended_by_the_clock(alice_client, interview):
    """Failed before: the text typed in the last second was dropped and the review said "Finished early"."""
    with time_machine.travel(START + timedelta(minutes=9), tick=False):
        autosave(alice_client, interview, 1, "Layers", 0, tab="tab-a")
    # The page's clock reached 00:00 a moment before the server's.
    with time_machine.travel(interview.deadline - timedelta(milliseconds=400), tick=False):
        alice_client.post(
            f"/interviews/{interview.pk}/finish/",
            {
                "answer-1": "Layers and the gradient, typed in the last second",
                "revision-1": 1,
                "tab": "tab-a",
                "clock": 1,
            },
        )
        review = alice_client.get(f"/interviews/{interview.pk}/review/").content.decode()
    interview.refresh_from_db()
    assert interview.end_reason == EndReason.CLOCK and interview.finished_at == interview.deadline
    assert stored(interview).text == "Layers and the gradient, typed in the last second"
    assert "Ended by the clock at 00:00" in review and "10 min 0 s" in review


def test_a_clock_claim_long_before_the_deadline_is_a_finish_by_the_candidate(alice_client, interview):
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        alice_client.post(f"/interviews/{interview.pk}/finish/", {"answer-1": "x", "revision-1": 0, "clock": 1})
    interview.refresh_from_db()
    assert interview.end_reason == EndReason.CANDIDATE


# ---------------------------------------------------------------- 2. two tabs never overwrite each other


def test_a_save_based_on_an_older_revision_is_refused_and_changes_nothing(alice_client, interview):
    """Failed before: the older tab's save was answered 200 (or overwrote the newer text)."""
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        # Both tabs opened the interview before anything was saved (revision 0).
        assert autosave(alice_client, interview, 1, "typed in the newer tab", 0, tab="new").status_code == 200
        refused = autosave(alice_client, interview, 1, "typed in the older tab", 0, tab="old")
        assert refused.status_code == 409
        body = refused.json()
        assert body["conflict"] is True and body["error"] == "This answer was changed in another tab or device."
        assert (body["text"], body["revision"]) == ("typed in the newer tab", 1)
        assert (stored(interview).text, stored(interview).revision) == ("typed in the newer tab", 1)
        # The older tab chooses to overwrite: a save based on the revision it was just shown.
        overwrite = autosave(alice_client, interview, 1, "typed in the older tab", body["revision"], tab="old")
        assert overwrite.json() | {"savedAt": None} == {"ok": True, "stored": True, "revision": 2, "savedAt": None}
    assert (stored(interview).text, stored(interview).revision) == ("typed in the older tab", 2)


def test_a_replay_of_the_stored_text_is_acknowledged_without_a_new_revision(alice_client, interview):
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        autosave(alice_client, interview, 1, "same words", 0, tab="a")
        replay = autosave(alice_client, interview, 1, "same words", 0, tab="b")
    assert replay.json()["ok"] is True and replay.json()["stored"] is False
    assert stored(interview).revision == 1


def test_no_javascript_save_from_an_older_page_keeps_its_text_on_screen(alice_client, interview):
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        autosave(alice_client, interview, 1, "saved from the phone", 0, tab="phone")
        response = alice_client.post(
            f"/interviews/{interview.pk}/", {"answer-1": "typed on the laptop", "revision-1": 0, "answer-2": "two"}
        )
        html = response.content.decode()
        assert response.status_code == 409
        assert "This answer was changed in another tab or device." in html
        assert ">typed on the laptop</textarea>" in html and "saved from the phone" in html
        assert 'name="revision-1" value="1"' in html  # saving again is the explicit overwrite
        assert ">two</textarea>" in html and stored(interview).text == "saved from the phone"
        assert not Answer.objects.filter(item__position=2).exists()  # every box or none
        again = alice_client.post(
            f"/interviews/{interview.pk}/", {"answer-1": "typed on the laptop", "revision-1": 1, "answer-2": "two"}
        )
    assert again.status_code == 302
    assert (stored(interview).text, stored(interview, 2).text) == ("typed on the laptop", "two")


def test_finish_from_an_older_tab_shows_the_text_it_could_not_store(alice_client, interview):
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        autosave(alice_client, interview, 1, "newer words", 0, tab="new")
        response = alice_client.post(
            f"/interviews/{interview.pk}/finish/", {"answer-1": "older tab words", "revision-1": 0}, follow=True
        )
    html = response.content.decode()
    assert stored(interview).text == "newer words"
    assert "changed in another tab or device" in html and "older tab words" in html


# ---------------------------------------------------------------- 3. a late save's finish sticks


def test_a_save_after_the_grace_period_commits_the_finish_then_refuses(interview):
    """Failed before: the finish was made and then rolled back by the refusal, so the interview stayed active."""
    services.interview_save_answer(attempt=interview, position=1, text="kept", revision=0, now=START)
    late = interview.deadline + INTERVIEW_GRACE + timedelta(seconds=1)
    with pytest.raises(services.DeadlinePassedError):
        services.interview_save_answer(attempt=interview, position=1, text="too late", revision=1, now=late)
    interview.refresh_from_db()
    assert interview.status == Status.FINISHED and interview.end_reason == EndReason.SERVER
    assert interview.finished_at == interview.deadline and stored(interview).text == "kept"


def test_finish_after_the_grace_period_says_which_text_was_not_stored(alice_client, interview):
    with time_machine.travel(interview.deadline + INTERVIEW_GRACE + timedelta(seconds=5), tick=False):
        response = alice_client.post(
            f"/interviews/{interview.pk}/finish/", {"answer-1": "written after the end", "revision-1": 0}, follow=True
        )
    html = response.content.decode()
    assert "arrived after the interview had ended" in html and "written after the end" in html
    assert "Closed by the server after the deadline" in html


# ---------------------------------------------------------------- 4. never a live page from the cache


def test_the_running_interview_page_is_never_stored_by_the_browser(alice_client, interview):
    """Failed before: no Cache-Control, so Back after finishing showed the live page from the page cache."""
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        response = alice_client.get(f"/interviews/{interview.pk}/")
    assert "no-store" in response["Cache-Control"]


# ---------------------------------------------------------------- issue 14: revisions from the client


@pytest.mark.parametrize("revision", [2**64, 2**63, -5, "abc"])
def test_finish_with_an_out_of_range_revision_is_refused_with_a_message(alice_client, interview, caplog, revision):
    """Failed before: a 500 (integer out of range), the interview left active and the answer in the error log."""
    with caplog.at_level(logging.INFO), time_machine.travel(START + timedelta(minutes=1), tick=False):
        response = alice_client.post(
            f"/interviews/{interview.pk}/finish/", {"answer-1": "secret words", "revision-1": revision}
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "reload the page" in html and ">secret words</textarea>" in html  # the text stays in its box
    assert 'name="revision-1" value="0"' in html  # not the bad value again, so a second submit can work
    interview.refresh_from_db()
    assert interview.status == Status.ACTIVE and not Answer.objects.exists()
    assert "secret words" not in caplog.text


def test_a_huge_revision_from_the_client_never_freezes_an_answer(alice_client, interview):
    """Failed before: a save with revision 2^63-1 was stored as such, and every later save was "older"."""
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        first = autosave(alice_client, interview, 1, "first", 2**63 - 1)
        assert first.json()["revision"] == 1  # revisions are the server's counter
        assert autosave(alice_client, interview, 1, "second", 1).json()["stored"] is True
    assert (stored(interview).text, stored(interview).revision) == ("second", 2)


# ---------------------------------------------------------------- the review tells the truth


def test_review_counts_key_points_as_n_of_m(alice_client, interview):
    """Failed before: "Key points covered (1 of 0)"."""
    services.interview_save_answer(attempt=interview, position=1, text="the gradient", revision=0, now=START)
    services.interview_finish(attempt=interview, now=START + timedelta(minutes=3))
    html = alice_client.get(f"/interviews/{interview.pk}/review/").content.decode()
    assert "Key points covered (1 of 2)" in html and "Key points covered (0 of 2)" in html


def test_review_labels_an_interview_closed_by_the_server(alice_client, interview):
    services.close_expired_interviews(now=interview.deadline + timedelta(hours=1))
    html = alice_client.get(f"/interviews/{interview.pk}/review/").content.decode()
    assert "Closed by the server after the deadline" in html and "10 min 0 s" in html


def test_chosen_topics_show_in_history_dashboard_and_csv(alice_client, alice, bank):
    """Failed before: Attempt.topics was never written, so every attempt said "All topics"."""
    with time_machine.travel(START, tick=False):
        alice_client.post(
            "/interviews/new/", {"tags": ["cnn", "rnn"], "difficulty": "any", "question_count": 3, "minutes": 10}
        )
        services.quiz_start(user=alice, tags=[], difficulty="any", question_count=2, feedback_mode="end", now=START)
        history = alice_client.get("/progress/").content.decode()
        dashboard = alice_client.get("/").content.decode()
    assert 'data-label="Topics">CNN, RNN</td>' in history and 'data-label="Topics">All topics</td>' in history
    assert "(CNN, RNN)" in dashboard
    body = b"".join(alice_client.get("/progress/export.csv").streaming_content).decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["row"] == "attempt"]
    assert sorted(r["topics"] for r in rows) == ["All topics", "CNN, RNN"]


def test_a_candidate_in_kolkata_sees_local_dates_and_the_streak_of_the_chart(alice_client, alice, bank):
    """Failed before: the history said 2 Nov, 20:00 (UTC) for an attempt of 3 Nov, 01:30 in Kolkata."""
    alice.time_zone = "Asia/Kolkata"
    alice.save(update_fields=["time_zone"])
    late_evening_utc = datetime(2026, 11, 2, 20, 0, tzinfo=UTC)  # 3 Nov, 01:30 in Kolkata
    attempt = services.quiz_start(
        user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=late_evening_utc
    )
    services.quiz_finish(attempt=attempt, now=late_evening_utc + timedelta(minutes=1))
    with time_machine.travel(datetime(2026, 11, 3, 12, 0, tzinfo=UTC), tick=False):
        response = alice_client.get("/progress/")
        body = b"".join(alice_client.get("/progress/export.csv").streaming_content).decode("utf-8-sig")
    html = response.content.decode()
    assert "3 Nov 2026, 01:30" in html and "2 Nov 2026, 20:00" not in html
    assert [row["day"].isoformat() for row in response.context["daily_rows"]] == ["2026-11-03"]
    assert response.context["streak"].current == 1 and response.context["streak"].active_today
    header = body.splitlines()[0]
    assert "started_at (Asia/Kolkata)" in header and "answered_at (Asia/Kolkata)" in header
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["row"] == "attempt")
    assert row["started_at (Asia/Kolkata)"] == "2026-11-03T01:30:00+05:30"


def test_no_saves_are_possible_after_an_abandon(alice_client, interview):
    services.attempt_abandon(attempt=interview, now=START + timedelta(minutes=1))
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        response = autosave(alice_client, interview, 1, "late", 0)
    assert response.status_code == 409 and response.json()["ended"] is True
    assert Attempt.objects.get(pk=interview.pk).status == Status.ABANDONED


@pytest.mark.parametrize("page_url", ["/progress/", "/"])
def test_topics_cost_one_query_whatever_the_number_of_attempts(alice_client, alice, bank, page_url):
    """The tags of the listed attempts come in one prefetch query: 3 or 30 attempts cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tags = list(TagFactory._meta.model.objects.all())

    def count_with(attempts: int) -> int:
        while Attempt.objects.filter(user=alice).count() < attempts:
            quiz = services.quiz_start(
                user=alice, tags=tags, difficulty="any", question_count=1, feedback_mode="end", now=START
            )
            # Finished, as most of a history is: at most 20 may be unfinished at once (services.MAX_ACTIVE_ATTEMPTS).
            services.quiz_finish(attempt=quiz, now=START)
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(page_url).status_code == 200
        return len(queries)

    assert count_with(3) == count_with(30)
