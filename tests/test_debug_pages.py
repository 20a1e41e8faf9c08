"""With debug on (`make run`), a newcomer sees the product's own 404 page for a missing question or attempt."""

from django.utils import timezone

from practice import services
from tests.factories import QuestionFactory


def test_missing_question_shows_the_products_404_page_with_debug_on(client, db, settings):
    settings.DEBUG = True
    response = client.get("/questions/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Browse the questions" in html
    assert "URLconf" not in html and "Django tried these URL patterns" not in html


def test_another_candidates_attempt_shows_the_products_404_page_with_debug_on(alice, bob_client, settings):
    settings.DEBUG = True
    QuestionFactory()
    attempt = services.quiz_start(
        user=alice, tags=[], difficulty="any", question_count=1, feedback_mode="end", now=timezone.now()
    )
    response = bob_client.get(f"/quizzes/{attempt.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Browse the questions" in html and "URLconf" not in html


def test_an_address_that_matches_no_url_keeps_djangos_debug_page_for_the_developer(client, db, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()
