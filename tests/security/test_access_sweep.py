"""Every URL pattern of the project, from the resolver: a new URL cannot be forgotten here."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from practice import services
from reviews import services as review_services
from tests.factories import QuestionFactory, TagFactory


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace == "admin":
                continue  # checked separately below
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if resolver.namespace:
                name = f"{resolver.namespace}:{name}"
            yield name, prefix + str(entry.pattern)


PATTERNS = sorted(set(walk()))

# What each URL is, by name. A URL missing here fails test_every_url_is_classified.
PUBLIC = {
    "home",
    "questions:list",
    "questions:detail",
    "accounts:signup",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:logout",
}
LOGIN = {
    "accounts:profile",
    "accounts:delete",
    "accounts:password_change",
    "accounts:password_change_done",
    "practice:quiz_new",
    "practice:quiz_diagnostic",
    "practice:interview_new",
    "practice:progress",
    "practice:progress_export",
    "practice:progress_reset",
    "practice:quiz_from_questions",
    "reviews:queue",
    "reviews:question_add",
    "reviews:question_rate",
    "reviews:question_note",
    "reviews:question_bookmark",
    "reviews:export_apkg",
    "reviews:export_log",
    "reviews:reset",
}
OWNED_QUIZ = {"practice:quiz", "practice:quiz_result", "practice:quiz_retry"}
OWNED_INTERVIEW = {
    "practice:interview",
    "practice:interview_save",
    "practice:interview_finish",
    "practice:interview_review",
}
OWNED_ANY = {"practice:abandon"}
OWNED_CARD = {"reviews:card_rate"}
QUESTION_URLS = {"questions:detail", "reviews:question_add", "reviews:question_rate", "reviews:question_note"}
QUESTION_URLS |= {"reviews:question_bookmark"}
POST_ONLY = {
    "accounts:logout",
    "accounts:delete",
    "practice:quiz_diagnostic",
    "practice:progress_reset",
    "practice:quiz_retry",
    "practice:abandon",
    "practice:interview_save",
    "practice:interview_finish",
    "practice:quiz_from_questions",
    "reviews:card_rate",
    "reviews:question_add",
    "reviews:question_rate",
    "reviews:question_note",
    "reviews:question_bookmark",
    "reviews:reset",
}


@pytest.fixture
def objects(alice):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    for _ in range(6):
        QuestionFactory(tags=[tag])
    now = timezone.now()
    quiz = services.quiz_start(user=alice, tags=[], difficulty="any", question_count=3, feedback_mode="end", now=now)
    interview = services.interview_start(user=alice, tags=[], difficulty="any", question_count=3, minutes=30, now=now)
    card = review_services.card_add(user=alice, question=quiz.items.first().question_id, now=now)[0]
    return {"quiz": quiz, "interview": interview, "card": card}


def url_for(route: str, name: str, objects) -> str:
    pk = objects["interview"].pk if name in OWNED_INTERVIEW else objects["quiz"].pk
    if name in QUESTION_URLS:
        pk = objects["quiz"].items.first().question_id
    if name in OWNED_CARD:
        pk = objects["card"].pk
    url = "/" + route.replace("<int:pk>", str(pk)).replace("<uidb64>", "MQ").replace("<token>", "set-password")
    return url


def test_every_url_is_classified():
    names = {name for name, _ in PATTERNS}
    unclassified = names - PUBLIC - LOGIN - OWNED_QUIZ - OWNED_INTERVIEW - OWNED_ANY - OWNED_CARD
    assert not unclassified, f"classify these URLs in the access sweep: {unclassified}"


@pytest.mark.parametrize(("name", "route"), PATTERNS)
def test_visitors_are_sent_to_log_in_or_get_the_public_page(client, objects, name, route):
    url = url_for(route, name, objects)
    response = client.get(url)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 405)
        if response.status_code == 302:
            assert not response.url.startswith("/accounts/login/")
    elif name in POST_ONLY:
        assert response.status_code in (302, 405)
    else:
        assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
    if name not in PUBLIC:
        response = client.post(url, {})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("name", "route"), [p for p in PATTERNS if p[0] in OWNED_QUIZ | OWNED_INTERVIEW | OWNED_ANY | OWNED_CARD]
)
def test_another_candidate_gets_404_on_every_object(bob_client, objects, name, route):
    url = url_for(route, name, objects)
    if name not in POST_ONLY:
        assert bob_client.get(url).status_code == 404
    for kind in ("quiz", "interview"):
        assert (
            bob_client.post(url, {"kind": kind, "position": 1, "choice": 1, "text": "x", "rating": 2}).status_code
            == 404
        )
    for attempt in (objects["quiz"], objects["interview"]):
        attempt.refresh_from_db()
        assert attempt.is_active and not attempt.items.filter(answer__isnull=False).exists()
    objects["card"].refresh_from_db()
    assert objects["card"].reps == 0


@pytest.mark.parametrize("name", sorted(POST_ONLY - {"accounts:logout"}))
def test_state_changing_views_refuse_get(alice_client, objects, name):
    route = dict(PATTERNS)[name]
    assert alice_client.get(url_for(route, name, objects)).status_code == 405


@pytest.mark.parametrize(
    ("name", "route"),
    [
        p
        for p in PATTERNS
        if p[0]
        in POST_ONLY
        | OWNED_QUIZ
        | OWNED_INTERVIEW
        | OWNED_CARD
        | {"practice:quiz_new", "practice:interview_new", "accounts:profile"}
    ],
)
def test_every_post_needs_a_csrf_token(alice, objects, name, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(url_for(route, name, objects), {"kind": "quiz"})
    assert response.status_code == 403


def test_non_staff_get_no_admin(client, alice_client, staff_client, db):
    for url in ("/admin/", "/admin/questions/question/", "/admin/accounts/user/", "/admin/questions/question/export/"):
        assert client.get(url).status_code == 302
        response = alice_client.get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
        assert staff_client.get(url).status_code == 200
