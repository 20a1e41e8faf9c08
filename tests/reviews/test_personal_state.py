"""Bookmarks, notes and the question list's personal filters and columns."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from practice.models import Attempt
from questions.models import Question
from reviews import services
from reviews.models import Card, CardState, QuestionNote, Rating
from tests.conftest import SESSION_QUERY
from tests.factories import QuestionFactory, TagFactory

from .conftest import NOW


def listed(client, query: str) -> list[int]:
    response = client.get("/questions/?" + query)
    assert response.status_code == 200
    return [q.pk for q in response.context["page"].object_list]


def test_a_note_is_saved_rendered_as_markdown_and_private(alice_client, bob_client, alice, questions):
    question = questions[0]
    response = alice_client.post(f"/review/questions/{question.pk}/note/", {"text": "Remember **the chain rule**."})
    assert response.status_code == 302 and response.url.endswith("#my-note")
    page = alice_client.get(f"/questions/{question.pk}/").content.decode()
    assert "<strong>the chain rule</strong>" in page
    assert "the chain rule" not in bob_client.get(f"/questions/{question.pk}/").content.decode()


def test_a_note_escapes_raw_html(alice_client, alice, questions):
    alice_client.post(f"/review/questions/{questions[0].pk}/note/", {"text": "<script>alert(1)</script>"})
    page = alice_client.get(f"/questions/{questions[0].pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("size", [5001, 1_000_000])
def test_a_note_too_long_is_refused_and_the_old_note_stays(alice_client, alice, questions, size):
    question = questions[0]
    alice_client.post(f"/review/questions/{question.pk}/note/", {"text": "Short note."})
    response = alice_client.post(f"/review/questions/{question.pk}/note/", {"text": "x" * size}, follow=True)
    assert response.status_code == 200
    assert "A note can be at most 5,000 characters long" in response.content.decode()
    assert QuestionNote.objects.get(user=alice).text == "Short note."


def test_the_service_refuses_a_long_note_too(alice, questions):
    with pytest.raises(services.ReviewError, match="at most 5,000"):
        services.note_save(user=alice, question=questions[0], text="x" * 5001, now=NOW)
    assert not QuestionNote.objects.exists()


def test_bookmarks_toggle(alice_client, alice, questions):
    question = questions[0]
    alice_client.post(f"/review/questions/{question.pk}/bookmark/", {"starred": "1"})
    assert QuestionNote.objects.get(user=alice).starred
    assert "Bookmarked" in alice_client.get(f"/questions/{question.pk}/").content.decode()
    alice_client.post(f"/review/questions/{question.pk}/bookmark/", {"starred": "0"})
    assert not QuestionNote.objects.get(user=alice).starred
    response = alice_client.post(f"/review/questions/{question.pk}/bookmark/", {"starred": "maybe"}, follow=True)
    assert "Nothing was changed." in response.content.decode()


def test_the_list_filters_by_personal_state(alice_client, alice, bob, questions):
    q0, q1, q2, q3, q4, q5 = questions
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=q0, rating=Rating.AGAIN, now=NOW - timedelta(hours=1))
        services.card_review(user=alice, question=q1, rating=Rating.EASY, now=NOW)
        services.bookmark_set(user=alice, question=q2, starred=True, now=NOW)
        services.note_save(user=alice, question=q3, text="A note.", now=NOW)
        services.note_save(user=alice, question=q4, text="", now=NOW)  # an empty note is no note
        # Bob's state never shows in alice's filters.
        services.bookmark_set(user=bob, question=q5, starred=True, now=NOW)
        services.card_review(user=bob, question=q5, rating=Rating.AGAIN, now=NOW - timedelta(hours=1))
        assert listed(alice_client, "mine=unseen") == [q2.pk, q3.pk, q4.pk, q5.pk]
        assert listed(alice_client, "mine=due") == [q0.pk]
        assert listed(alice_client, "mine=wrong") == [q0.pk]
        assert listed(alice_client, "mine=starred") == [q2.pk]
        assert listed(alice_client, "mine=noted") == [q3.pk]
        assert listed(alice_client, "mine=starred&difficulty=basic") == [q2.pk]
        html = alice_client.get("/questions/").content.decode()
    assert "Wrong last time" in html and "Bookmarked" in html and "Unseen" in html and "Due" in html


def test_an_unknown_personal_filter_is_reported_and_ignored(alice_client, alice, questions):
    response = alice_client.get("/questions/?mine=bogus")
    assert response.status_code == 200
    assert "That personal filter does not exist, so it was ignored." in response.content.decode()
    assert len(response.context["page"].object_list) == 6


def test_visitors_see_the_list_without_personal_state(client, questions):
    html = client.get("/questions/?mine=starred").content.decode()
    assert "My questions" not in html and "Unseen" not in html
    assert len(client.get("/questions/?mine=starred").context["page"].object_list) == 6


def test_start_a_quiz_from_a_filtered_list(alice_client, alice, questions):
    for question in questions[:3]:
        services.bookmark_set(user=alice, question=question, starred=True, now=NOW)
    assert "Start a quiz from these 3 questions" in alice_client.get("/questions/?mine=starred").content.decode()
    response = alice_client.post("/quizzes/from-questions/", {"mine": "starred"})
    attempt = Attempt.objects.get(user=alice)
    assert response.url == f"/quizzes/{attempt.pk}/"
    assert set(attempt.items.values_list("question_id", flat=True)) == {q.pk for q in questions[:3]}


def test_a_quiz_from_an_empty_list_is_a_message(alice_client, alice, questions):
    response = alice_client.post("/quizzes/from-questions/", {"mine": "starred", "difficulty": "advanced"}, follow=True)
    assert "No question matches these filters" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_quiz_from_a_list_keeps_to_the_default_length(alice_client, alice, questions):
    alice.quiz_length = 4
    alice.save()
    alice_client.post("/quizzes/from-questions/", {"tag": "fundamentals"})
    assert Attempt.objects.get(user=alice).question_count == 4


def test_the_question_page_shows_state_and_next_due(alice_client, alice, questions):
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=questions[0], rating=Rating.GOOD, now=NOW)
        html = alice_client.get(f"/questions/{questions[0].pk}/").content.decode()
    card = Card.objects.get(user=alice)
    assert f"Review, next review {timezone.localtime(card.due):%a %-d %b %Y}" in html
    assert "Last result: Good" in html


def _bulk(user, count):
    tag = TagFactory(slug="bulk", name="Bulk")
    Question.objects.bulk_create(Question(prompt=f"Bulk {n}?", answer="An answer.") for n in range(count))
    bulk = list(Question.objects.filter(prompt__startswith="Bulk "))
    tag.questions.add(*bulk)
    Card.objects.bulk_create(
        Card(
            user=user,
            question=q,
            state=CardState.REVIEW,
            due=NOW + timedelta(hours=n - count // 2),
            stability=2.0,
            difficulty=5.0,
            last_review=NOW - timedelta(days=2),
            last_rating=[Rating.AGAIN, Rating.GOOD][n % 2],
            reps=1,
            created_at=NOW - timedelta(days=9),
        )
        for n, q in enumerate(bulk)
        if n % 5 != 4  # every fifth question stays unseen
    )
    QuestionNote.objects.bulk_create(
        QuestionNote(user=user, question=q, starred=True, text="n", updated_at=NOW) for q in bulk[::3]
    )
    return bulk


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("mine", ["", "unseen", "due", "wrong", "starred", "noted"])
def test_query_budget_of_the_question_list_with_personal_filters(
    alice_client, alice, django_assert_num_queries, count, mine
):
    with time_machine.travel(NOW, tick=False):
        bulk = _bulk(alice, count)
        # session (from Redis when set), user, tags, count (the personal filter joined in), page of questions,
        # their tags, the candidate's state of the page's questions, the navigation's due counts
        with django_assert_num_queries(7 + SESSION_QUERY):
            response = alice_client.get(f"/questions/?tag=bulk&mine={mine}")
        assert response.status_code == 200
        # detail: session, user, question, its tags, sources, key points (first view), the ids in the filter and
        # the topics that check it (not yet cached), the candidate's card and note with the navigation's due counts
        with django_assert_num_queries(8 + SESSION_QUERY):
            assert alice_client.get(f"/questions/{bulk[0].pk}/?tag=bulk&mine={mine}").status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_query_budget_of_the_progress_page_with_cards(alice_client, alice, django_assert_num_queries, count):
    with time_machine.travel(NOW, tick=False):
        _bulk(alice, count)
        # session, user, expired interviews, history count, daily figures, mastery, chart points, reviews per
        # day, cards by state and due day, the navigation's due counts
        with django_assert_num_queries(9 + SESSION_QUERY):
            response = alice_client.get("/progress/")
    assert response.status_code == 200 and "Retention" in response.content.decode()


def test_a_question_list_entry_for_an_unpublished_question_is_not_listed(alice_client, alice, questions):
    hidden = QuestionFactory(is_published=False)
    services.card_review(user=alice, question=questions[0], rating=Rating.AGAIN, now=NOW)
    Card.objects.create(user=alice, question=hidden, state=CardState.LEARNING, due=NOW, created_at=NOW)
    assert hidden.pk not in listed(alice_client, "mine=wrong")


def test_search_results_take_the_personal_filter_and_show_the_state(
    alice_client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is refreshed on commit
        dropout = QuestionFactory(prompt="What does dropout do?", answer="Dropout zeroes random units.")
        other = QuestionFactory(prompt="Why use dropout in big networks?", answer="Dropout regularises.")
    services.bookmark_set(user=alice, question=dropout, starred=True, now=NOW)
    assert set(listed(alice_client, "q=dropout")) == {dropout.pk, other.pk}
    assert listed(alice_client, "q=dropout&mine=starred") == [dropout.pk]
    assert "Bookmarked" in alice_client.get("/questions/?q=dropout").content.decode()
    response = alice_client.post("/quizzes/from-questions/", {"q": "dropout", "mine": "starred"})
    assert Attempt.objects.get(user=alice).items.get().question_id == dropout.pk and response.status_code == 302


def test_the_review_panel_escapes_the_note_in_its_editor_and_its_rendering(alice_client, alice, questions):
    hostile = '</textarea><img src=x onerror="alert(1)"> **bold**'
    services.note_save(user=alice, question=questions[0], text=hostile, now=NOW)
    page = alice_client.get(f"/questions/{questions[0].pk}/").content.decode()
    assert "<img" not in page and "</textarea><" not in page  # text in both places, never markup
    assert "&lt;/textarea&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **bold**</textarea>" in page
    assert "<strong>bold</strong>" in page
    assert "Edit your note" in page and "<details open>" not in page


def test_the_review_panel_follows_the_card_and_bookmark(alice_client, alice, questions):
    question = questions[0]
    url = f"/questions/{question.pk}/"
    page = alice_client.get(url).content.decode()
    assert f'action="/review/questions/{question.pk}/add/"' in page and 'aria-pressed="false"' in page
    assert '<input type="hidden" name="reps" value="0">' in page and "<details open>" in page
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=question, rating=Rating.GOOD, now=NOW)
        services.bookmark_set(user=alice, question=question, starred=True, now=NOW)
        page = alice_client.get(url).content.decode()
    assert "/add/" not in page and "Add to my reviews" not in page
    assert 'aria-pressed="true"' in page and '<input type="hidden" name="starred" value="0">' in page
    assert '<input type="hidden" name="reps" value="1">' in page


def test_the_rating_buttons_show_the_cards_own_intervals(alice_client, alice, questions):
    # The buttons' HTML is kept per set of interval labels: a reviewed card must not show a new card's.
    from reviews.scheduling import interval_label, preview

    url = f"/questions/{questions[0].pk}/"
    with time_machine.travel(NOW, tick=False):
        new_page = alice_client.get(url).content.decode()
        services.card_review(user=alice, question=questions[0], rating=Rating.EASY, now=NOW)
        card = Card.objects.get(user=alice)
        reviewed_page = alice_client.get(url).content.decode()
    labels = [interval_label(interval) for interval in preview(card, NOW, alice.desired_retention).values()]
    new_labels = [interval_label(interval) for interval in preview(None, NOW, alice.desired_retention).values()]
    assert labels != new_labels
    for page, shown in ((new_page, new_labels), (reviewed_page, labels)):
        buttons = page.split('<fieldset class="rating-buttons">', 1)[1].split("</fieldset>", 1)[0]
        assert [part.split("</span>", 1)[0] for part in buttons.split('<span class="d-block small">')[1:]] == shown


def test_every_form_of_the_question_page_carries_one_working_csrf_token(alice, questions):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client(enforce_csrf_checks=True)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})  # refused: no token yet
    login_page = client.get("/accounts/login/").content.decode()
    token = login_page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token})
    page = client.get(f"/questions/{questions[0].pk}/").content.decode()
    tokens = [part.split('"', 1)[0] for part in page.split('name="csrfmiddlewaretoken" value="')[1:]]
    assert len(tokens) == 5 and len(set(tokens)) == 1  # the navigation's sign-out and the panel's four forms
    response = client.post(
        f"/review/questions/{questions[0].pk}/bookmark/", {"starred": "1", "csrfmiddlewaretoken": tokens[0]}
    )
    assert response.status_code == 302 and QuestionNote.objects.get(user=alice).starred
