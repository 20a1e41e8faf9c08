"""Random and hostile data posted to every review form: never a 500; refused input changes nothing."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from reviews import services
from reviews.models import Card, QuestionNote, ReviewLog
from tests.factories import QuestionFactory, TagFactory
from tests.security.test_hostile_input import FUZZ, form_data, hostile_text

from .conftest import NOW


@pytest.fixture
def world(alice, bob):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    questions = [QuestionFactory(tags=[tag]) for _ in range(4)]
    card = services.card_add(user=alice, question=questions[0], now=NOW)[0]
    bobs = services.card_add(user=bob, question=questions[1], now=NOW)[0]
    client = Client()
    client.force_login(alice)
    return {"client": client, "questions": questions, "card": card, "bobs_card": bobs}


def snapshot() -> tuple:
    return (
        tuple(Card.objects.order_by("pk").values_list("pk", "reps", "state", "due")),
        ReviewLog.objects.count(),
        tuple(QuestionNote.objects.order_by("pk").values_list("text", "starred")),
    )


def last(value):
    """What a form reads of a posted value: the last one of a list."""
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def valid_rating(data) -> bool:
    """Would the form accept this rating of a card never reviewed (reps 0)?"""
    reps = last(data.get("reps"))
    try:
        reps_ok = reps is None or not reps.strip() or int(reps.strip()) == 0
    except ValueError:
        reps_ok = False
    return last(data.get("rating")) in ("1", "2", "3", "4") and reps_ok


@given(data=form_data(["rating", "reps", "answer", "keep_answer"]), target=st.sampled_from(["card", "bobs_card"]))
@FUZZ
def test_rating_a_card(world, data, target):
    before = snapshot()
    response = world["client"].post(f"/review/cards/{world[target].pk}/rate/", data)
    assert response.status_code < 500, data
    if target == "bobs_card":
        assert response.status_code == 404
    if target == "bobs_card" or not valid_rating(data):
        assert snapshot() == before, data


@given(data=form_data(["rating", "reps"]), question=st.sampled_from([0, 3, 999_999, -1]))
@FUZZ
def test_rating_from_the_question_page(world, data, question):
    pk = world["questions"][question].pk if question in (0, 3) else question
    before = snapshot()
    response = world["client"].post(f"/review/questions/{pk}/rate/", data)
    assert response.status_code < 500, data
    if not valid_rating(data) or question not in (0, 3):
        assert snapshot() == before, data


@given(data=form_data(["text", "starred"]))
@FUZZ
def test_notes_and_bookmarks(world, data):
    pk = world["questions"][2].pk
    client = world["client"]
    before = snapshot()
    text = last(data.get("text"))
    response = client.post(f"/review/questions/{pk}/note/", data)
    assert response.status_code < 500
    if text is None or len(text) > 5000 or "\x00" in text:
        assert snapshot() == before, data
    before = snapshot()
    response = client.post(f"/review/questions/{pk}/bookmark/", data)
    assert response.status_code < 500
    if last(data.get("starred")) not in ("0", "1"):
        assert snapshot() == before, data


@given(data=form_data(["q", "tag", "difficulty", "mine", "confirm"]))
@FUZZ
def test_quiz_from_questions_and_reset(world, data):
    client = world["client"]
    assert client.post("/quizzes/from-questions/", data).status_code < 500
    if data.get("confirm") != "yes":
        before = snapshot()
        assert client.post("/review/reset/", data).status_code == 302
        assert snapshot() == before


@given(
    query=st.dictionaries(
        st.sampled_from(["mine", "q", "tag", "which", "page", "difficulty"]), hostile_text, max_size=4
    )
)
@FUZZ
def test_malformed_query_strings(world, query):
    client = world["client"]
    for url in ("/questions/", "/review/", "/review/export.apkg", "/review/log.csv", "/progress/"):
        assert client.get(url, query).status_code < 500, (url, query)
