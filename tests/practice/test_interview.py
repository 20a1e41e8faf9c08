from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from practice import services
from practice.keypoints import covered_points, stem
from practice.models import Answer, Attempt, Status
from questions.models import KeyPoint
from tests.conftest import SESSION_QUERY
from tests.factories import QuestionFactory, TagFactory

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def bank(db):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    return [QuestionFactory(tags=[tag], difficulty=["advanced", "basic", "intermediate"][n % 3]) for n in range(15)]


def start(client, **data):
    payload = {"difficulty": "any", "question_count": 5}
    payload.update(data)
    return client.post("/interviews/new/", payload)


def save(client, attempt, position, text, revision=None):
    data = {"position": position, "text": text}
    if revision is not None:
        data["revision"] = revision
    return client.post(f"/interviews/{attempt.pk}/save/", data)


def test_start_with_defaults_fixes_the_deadline(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        assert alice_client.get("/interviews/new/").status_code == 200
        response = start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    assert response.url == f"/interviews/{attempt.pk}/"
    assert attempt.question_count == 5
    assert attempt.deadline == START + timedelta(minutes=15)  # 3 minutes a question by default


def test_start_with_options_and_progressive_order(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client, difficulty="progressive", question_count=9, minutes=40)
    attempt = Attempt.objects.get(user=alice)
    assert attempt.deadline == START + timedelta(minutes=40)
    ranks = [
        ["basic", "intermediate", "advanced"].index(i.question.difficulty) for i in attempt.items.order_by("position")
    ]
    assert ranks == sorted(ranks) and len(ranks) == 9


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question_count": 2}, "greater than or equal to 3"),
        ({"question_count": 16}, "less than or equal to 15"),
        ({"minutes": 4}, "greater than or equal to 5"),
        ({"minutes": 121}, "less than or equal to 120"),
        ({"question_count": "many"}, "Enter a whole number."),
        ({"difficulty": "hardest"}, "Select a valid choice."),
    ],
)
def test_bad_start_input_is_reported(alice_client, bank, data, message):
    response = start(alice_client, **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Attempt.objects.exists()


def test_page_shows_timer_and_saved_answers_after_reload(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        response = save(alice_client, attempt, 1, "Gradients flow backwards through each layer.", revision=100)
        assert response.json()["ok"] is True
        html = alice_client.get(f"/interviews/{attempt.pk}/").content.decode()
    assert 'role="timer"' in html and ">13:00<" in html
    assert "Gradients flow backwards through each layer." in html
    assert '"deadline": "2026-11-02T09:15:00+00:00"' in html


def test_plain_form_save_works_without_javascript(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
        attempt = Attempt.objects.get(user=alice)
        response = alice_client.post(f"/interviews/{attempt.pk}/", {"answer-1": "first", "answer-2": "second"})
    assert response.status_code == 302
    assert sorted(Answer.objects.values_list("text", flat=True)) == ["first", "second"]


def test_save_after_deadline_is_refused_and_finishes(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=14), tick=False):
        save(alice_client, attempt, 1, "kept", revision=1)
    with time_machine.travel(START + timedelta(minutes=15, seconds=16), tick=False):
        response = save(alice_client, attempt, 1, "too late", revision=2)
    assert response.status_code == 409 and "Time is up" in response.json()["error"]
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and attempt.timed_out
    assert Answer.objects.get().text == "kept"


def test_save_within_the_grace_period_is_kept(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=15, seconds=10), tick=False):
        response = save(alice_client, attempt, 1, "sent just before the end", revision=5)
    assert response.json()["ok"] is True
    assert Answer.objects.get().text == "sent just before the end"


def test_out_of_order_saves_never_overwrite_a_newer_one(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
        attempt = Attempt.objects.get(user=alice)
        save(alice_client, attempt, 1, "newer text", revision=0)
        response = save(alice_client, attempt, 1, "older text", revision=0)  # based on revision 0, now 1
        assert response.status_code == 409 and response.json()["conflict"] is True
        replay = save(alice_client, attempt, 1, "newer text", revision=0)  # a replay changes nothing either
        assert replay.json() | {"savedAt": None} == {"ok": True, "stored": False, "revision": 1, "savedAt": None}
    assert Answer.objects.get().text == "newer text"


def test_answer_length_is_capped_with_a_clear_message(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
        attempt = Attempt.objects.get(user=alice)
        response = save(alice_client, attempt, 1, "x" * 10_001, revision=1)
    assert response.status_code == 400 and "too long" in response.json()["error"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("data", [{"text": "x"}, {"position": "abc", "text": "x"}, {"position": 99, "text": "x"}])
def test_save_with_bad_position_is_refused(alice_client, alice, bank, data):
    with time_machine.travel(START, tick=False):
        start(alice_client)
        attempt = Attempt.objects.get(user=alice)
        response = alice_client.post(f"/interviews/{attempt.pk}/save/", data)
    assert response.status_code == 400 and response.json()["ok"] is False
    assert not Answer.objects.exists()


@pytest.mark.parametrize("page", ["/", "/progress/", "/progress/export.csv", "interview"])
def test_an_expired_interview_is_finished_where_it_is_shown_or_listed(alice_client, alice, bank, page):
    with time_machine.travel(START, tick=False):
        start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        save(alice_client, attempt, 1, "an answer about gradient and layer", revision=1)
    with time_machine.travel(START + timedelta(minutes=15), tick=False):
        alice_client.get("/")  # at the deadline, within the grace period: still running
        attempt.refresh_from_db()
        assert attempt.status == Status.ACTIVE
    with time_machine.travel(START + timedelta(hours=3), tick=False):
        response = alice_client.get(f"/interviews/{attempt.pk}/" if page == "interview" else page)
        if page == "/progress/export.csv":
            b"".join(response.streaming_content)
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and attempt.timed_out
    assert attempt.finished_at == attempt.deadline
    hint = Answer.objects.get().coverage  # the automatic hint of the one answer (practice.scoring)
    assert hint > 0 and attempt.score == round(100 * hint / 5, 2)  # one answer of five questions


def test_expiry_via_the_management_command(alice, bank):
    attempt = services.interview_start(user=alice, tags=[], difficulty="any", question_count=3, minutes=5, now=START)
    services.interview_save_answer(attempt=attempt, position=2, text="the slope", revision=1, now=START)
    call_command("close_expired_interviews")  # now is long after the deadline
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and attempt.timed_out
    answer = Answer.objects.get()
    gradient_point = answer.item.question.key_points.get(text="Mentions gradients")
    assert gradient_point.pk in answer.covered_points  # "slope" is one of its keywords
    assert 0 < answer.coverage < 1


def test_command_leaves_running_interviews_alone(alice, bank):
    attempt = services.interview_start(
        user=alice, tags=[], difficulty="any", question_count=3, minutes=5, now=timezone.now()
    )
    call_command("close_expired_interviews")
    attempt.refresh_from_db()
    assert attempt.status == Status.ACTIVE


def test_finishing_early_saves_the_form_and_goes_to_review(alice_client, alice, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=4), tick=False):
        response = alice_client.post(f"/interviews/{attempt.pk}/finish/", {"answer-1": "layers and gradients"})
        assert response.url == f"/interviews/{attempt.pk}/review/"
        html = alice_client.get(response.url).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and not attempt.timed_out
    assert attempt.duration == timedelta(minutes=4)
    assert "Model answer" in html and "layers and gradients" in html and "4 min 0 s" in html
    assert alice_client.get(f"/interviews/{attempt.pk}/").url == f"/interviews/{attempt.pk}/review/"


def test_self_rating_changes_the_score(alice_client, alice, bank):
    attempt = services.interview_start(user=alice, tags=[], difficulty="any", question_count=4, minutes=10, now=START)
    services.interview_save_answer(attempt=attempt, position=1, text="gradient only", revision=1, now=START)
    services.interview_finish(attempt=attempt, now=START + timedelta(minutes=1))
    attempt.refresh_from_db()
    hint = Answer.objects.get().coverage  # the automatic hint of the one answer
    assert attempt.score == round(100 * hint / 4, 2)  # the hint alone, over 4 questions
    alice_client.post(f"/interviews/{attempt.pk}/review/", {"position": 1, "rating": 4})
    attempt.refresh_from_db()
    assert attempt.score == round(100 * (0.5 * hint + 0.5 * 4 / 4) / 4, 2)  # hint and rating count half each
    alice_client.post(f"/interviews/{attempt.pk}/review/", {"position": 2, "rating": 2})
    attempt.refresh_from_db()
    after = round(100 * ((0.5 * hint + 0.5) + (0 + 0.5 * 2 / 4)) / 4, 2)
    assert attempt.score == after
    response = alice_client.post(f"/interviews/{attempt.pk}/review/", {"position": 1, "rating": 9}, follow=True)
    assert "Choose a rating from 0 to 4." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == after


def test_another_users_interview_is_404_and_visitors_log_in(alice_client, alice, bob_client, client, bank):
    with time_machine.travel(START, tick=False):
        start(alice_client)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        for url in (f"/interviews/{attempt.pk}/", f"/interviews/{attempt.pk}/review/"):
            assert bob_client.get(url).status_code == 404
            assert client.get(url).url.startswith("/accounts/login/")
        assert save(bob_client, attempt, 1, "intruder", revision=1).status_code == 404
        assert bob_client.post(f"/interviews/{attempt.pk}/finish/").status_code == 404
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == Status.ACTIVE


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("We normalize the inputs.", {"norm"}),  # stemming: normalize ~ normalization
        ("Apply NORMALISATION first.", {"norm"}),  # case and British spelling
        ("The weight decay term shrinks weights.", {"l2"}),  # a multi-word synonym
        ("Abnormal results.", set()),  # word boundaries: no match inside another word
        ("", set()),
        ("Ridge regression", {"l2"}),
    ],
)
def test_key_point_matching(db, answer, expected):
    question = QuestionFactory(key_points=False)
    norm = KeyPoint.objects.create(question=question, text="Normalise", keywords=["normalization"])
    l2 = KeyPoint.objects.create(question=question, text="L2", keywords=["l2", "weight decay", "ridge"])
    names = {norm.pk: "norm", l2.pk: "l2"}
    assert {names[pk] for pk in covered_points(answer, [norm, l2])} == expected


def test_stemmer_reduces_related_forms_alike():
    assert stem("normalize") == stem("normalization") == stem("normalising")
    assert stem("overfitting") == stem("overfit")
    assert stem("biases") == stem("bias")


@pytest.mark.parametrize("count", [3, 15])
def test_query_budget_of_interview_and_review_pages(alice_client, alice, bank, django_assert_num_queries, count):
    with time_machine.travel(START, tick=False):
        start(alice_client, question_count=count)
    attempt = Attempt.objects.get(user=alice)
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        for position in range(1, count + 1):
            save(alice_client, attempt, position, f"answer {position} about gradients", revision=1)
        # session (from Redis when set), user, attempt, items with answers and questions, review due counts
        with django_assert_num_queries(4 + SESSION_QUERY):
            assert alice_client.get(f"/interviews/{attempt.pk}/").status_code == 200
        alice_client.post(f"/interviews/{attempt.pk}/finish/")
        # session, user, attempt, items with answers and questions, their key points, the attempt's topics,
        # the navigation's review due counts
        with django_assert_num_queries(6 + SESSION_QUERY):
            assert alice_client.get(f"/interviews/{attempt.pk}/review/").status_code == 200
