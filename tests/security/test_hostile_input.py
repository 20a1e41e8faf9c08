"""Random and hostile data posted to every form and JSON endpoint: never a 500, nothing changed on rejection."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice import services
from practice.models import Answer, Attempt
from questions.models import Question
from tests.factories import QuestionFactory, TagFactory

User = get_user_model()

hostile_text = st.one_of(
    st.text(max_size=50),
    st.just("x" * 20_000),
    st.just("\x00null\x00byte"),
    st.just("<script>alert(1)</script>"),
    st.just("' OR 1=1; --"),
    st.just("=cmd|' /C calc'!A0"),
    st.sampled_from(["", " ", "é🙂", "\u202e", "%00", "../../etc/passwd"]),
)
hostile_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["-1", "0", "1e9", "NaN", "inf", "1.5", "0x10", "", "9" * 40]),
)
hostile_value = st.one_of(hostile_text, hostile_number, st.lists(hostile_text, max_size=3))


def form_data(fields):
    """Any subset of the fields (missing ones included), each with a hostile value."""
    return st.fixed_dictionaries({}, optional={name: hostile_value for name in fields})


FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def world(alice, bob):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    for _ in range(6):
        QuestionFactory(tags=[tag])
    now = timezone.now()
    quiz = services.quiz_start(user=alice, tags=[], difficulty="any", question_count=3, feedback_mode="end", now=now)
    interview = services.interview_start(user=alice, tags=[], difficulty="any", question_count=3, minutes=30, now=now)
    bobs = services.quiz_start(user=bob, tags=[], difficulty="any", question_count=3, feedback_mode="end", now=now)
    alice_client = Client()
    alice_client.force_login(alice)
    return {"alice": alice, "client": alice_client, "quiz": quiz, "interview": interview, "bobs_quiz": bobs}


def snapshot(alice) -> tuple:
    alice = User.objects.get(pk=alice.pk)
    return (
        User.objects.count(),
        Attempt.objects.count(),
        Answer.objects.count(),
        Question.objects.count(),
        alice.email,
        alice.display_name,
        alice.quiz_length,
        alice.password,
        tuple(Answer.objects.order_by("pk").values_list("text", flat=True)),
    )


def post_and_check(client, url, data, alice, *, success_codes=(302,)):
    before = snapshot(alice)
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    if response.status_code not in success_codes:
        assert snapshot(alice) == before, (url, data)
    return response


@given(data=form_data(["username", "email", "password1", "password2", "time_zone"]))
@FUZZ
def test_signup(world, data):
    post_and_check(Client(), "/accounts/signup/", data, world["alice"])


@given(data=form_data(["username", "password"]))
@FUZZ
def test_login(world, data):
    post_and_check(Client(), "/accounts/login/", data, world["alice"], success_codes=())


@given(
    data=form_data(
        [
            "email",
            "display_name",
            "time_zone",
            "quiz_length",
            "quiz_feedback",
            "interview_length",
            "interview_minutes_per_question",
        ]
    )
)
@FUZZ
def test_profile(world, data):
    post_and_check(world["client"], "/accounts/profile/", data, world["alice"])


@given(data=form_data(["delete-password", "old_password", "new_password1", "new_password2"]))
@FUZZ
def test_delete_and_password_change(world, data):
    client = world["client"]
    post_and_check(client, "/accounts/delete/", data, world["alice"], success_codes=())
    post_and_check(client, "/accounts/password_change/", data, world["alice"], success_codes=())


@given(data=form_data(["email"]))
@FUZZ
def test_password_reset(world, data):
    post_and_check(Client(), "/accounts/password_reset/", data, world["alice"], success_codes=(302,))


@given(data=form_data(["tags", "difficulty", "length", "custom_length", "feedback_mode"]))
@FUZZ
def test_quiz_start(world, data):
    post_and_check(world["client"], "/quizzes/new/", data, world["alice"])


@given(data=form_data(["tags", "difficulty", "question_count", "minutes"]))
@FUZZ
def test_interview_start(world, data):
    post_and_check(world["client"], "/interviews/new/", data, world["alice"])


@given(data=form_data(["position", "choice"]), target=st.sampled_from(["quiz", "bobs_quiz"]))
@FUZZ
def test_quiz_answer_with_hostile_and_foreign_ids(world, data, target):
    attempt = world[target]
    response = post_and_check(world["client"], f"/quizzes/{attempt.pk}/", data, world["alice"])
    if target == "bobs_quiz":
        assert response.status_code == 404


@given(data=form_data(["position", "text", "revision"]))
@FUZZ
def test_interview_autosave_json(world, data):
    url = f"/interviews/{world['interview'].pk}/save/"
    response = post_and_check(world["client"], url, data, world["alice"], success_codes=(200,))
    payload = response.json()
    assert "ok" in payload
    if not payload["ok"]:
        assert payload["error"]


@given(data=form_data(["answer-1", "answer-2", "answer-3", "revision-1"]))
@FUZZ
def test_interview_plain_save(world, data):
    post_and_check(world["client"], f"/interviews/{world['interview'].pk}/", data, world["alice"])


@given(data=form_data(["position", "rating"]))
@FUZZ
def test_review_rating_on_a_running_interview(world, data):
    post_and_check(
        world["client"], f"/interviews/{world['interview'].pk}/review/", data, world["alice"], success_codes=()
    )


@given(data=form_data(["confirm", "kind"]))
@FUZZ
def test_reset_and_abandon_need_the_right_values(world, data):
    client = world["client"]
    if data.get("confirm") != "yes":
        post_and_check(client, "/progress/reset/", data, world["alice"], success_codes=())
    post_and_check(client, f"/attempts/{world['bobs_quiz'].pk}/abandon/", data, world["alice"], success_codes=())


@given(
    query=st.dictionaries(
        st.sampled_from(["q", "tag", "difficulty", "page", "kind", "feedback", "tags"]), hostile_text, max_size=4
    )
)
@FUZZ
def test_malformed_query_strings_on_list_pages(world, query):
    client = world["client"]
    for url in ("/questions/", "/progress/", "/quizzes/new/", "/interviews/new/", f"/quizzes/{world['quiz'].pk}/"):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)


@pytest.mark.parametrize(
    "path",
    [
        "/questions/99999999999999999999/",
        "/quizzes/-1/",
        "/interviews/0/review/",
        "/questions/%00/",
        "/attempts/1e3/abandon/",
    ],
)
def test_ids_of_nothing_are_404(alice_client, path):
    assert alice_client.get(path).status_code == 404
