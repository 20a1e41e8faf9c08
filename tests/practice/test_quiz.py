import threading

import pytest
from django.db import connection
from django.utils import timezone

from practice import services
from practice.models import Answer, Attempt, Status
from questions.models import Question
from tests.conftest import SESSION_QUERY
from tests.factories import QuestionFactory, TagFactory


@pytest.fixture
def bank(db):
    """Twelve published questions over two topics and three difficulties, and one unpublished."""
    cnn = TagFactory(slug="cnn", name="CNN")
    rnn = TagFactory(slug="rnn", name="RNN")
    questions = []
    for n in range(12):
        questions.append(
            QuestionFactory(tags=[cnn if n % 2 else rnn], difficulty=["basic", "intermediate", "advanced"][n % 3])
        )
    QuestionFactory(tags=[cnn], is_published=False)
    return questions


def start_quiz(client, **data):
    payload = {"difficulty": "any", "length": "5", "feedback_mode": "each"}
    payload.update(data)
    return client.post("/quizzes/new/", payload)


def current_item(attempt):
    return attempt.items.filter(answer__isnull=True).order_by("position").first()


def correct_choice_id(item):
    return item.question.choices.get(is_correct=True).pk


def wrong_choice_id(item):
    return item.question.choices.filter(is_correct=False).first().pk


def test_start_with_defaults_in_one_click(alice_client, alice, bank):
    page = alice_client.get("/quizzes/new/")
    assert page.status_code == 200
    assert "Start quiz" in page.content.decode()
    response = alice_client.post("/quizzes/new/", {"difficulty": "any", "length": "10", "feedback_mode": "each"})
    attempt = Attempt.objects.get(user=alice)
    assert response.url == f"/quizzes/{attempt.pk}/"
    assert attempt.question_count == 10 and attempt.items.count() == 10
    assert not attempt.items.filter(question__is_published=False).exists()


def test_start_with_filters(alice_client, alice, bank):
    response = start_quiz(alice_client, tags=["cnn"], difficulty="advanced", length="custom", custom_length="2")
    attempt = Attempt.objects.get(user=alice)
    assert response.status_code == 302
    for item in attempt.items.all():
        assert item.question.difficulty == "advanced"
        assert item.question.tags.filter(slug="cnn").exists()
    assert list(attempt.tags.values_list("slug", flat=True)) == ["cnn"]


def test_too_few_questions_says_how_many_and_starts_nothing(alice_client, alice, bank):
    response = start_quiz(alice_client, tags=["cnn"], difficulty="advanced", length="5")
    assert response.status_code == 400
    assert "Only 2 questions match these filters" in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"length": "custom", "custom_length": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"length": "custom", "custom_length": "51"}, "Ensure this value is less than or equal to 50."),
        ({"length": "custom"}, "Enter a number of questions from 1 to 50."),
        ({"length": "7"}, "Select a valid choice."),
        ({"tags": ["no-such-topic"]}, "does not exist"),
        ({"difficulty": "impossible"}, "Select a valid choice."),
    ],
)
def test_bad_start_input_is_reported(alice_client, bank, data, message):
    response = start_quiz(alice_client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attempt.objects.exists()


def test_choice_order_is_shuffled_and_stable_across_reloads(alice_client, alice, bank):
    start_quiz(alice_client, length="10")
    attempt = Attempt.objects.get(user=alice)
    orders = [item.choice_order for item in attempt.items.all()]
    default_orders = [sorted(order) for order in orders]
    assert orders != default_orders  # ten questions: at least one shuffled (chance of none: 24^-10)
    first = alice_client.get(f"/quizzes/{attempt.pk}/").content.decode()
    second = alice_client.get(f"/quizzes/{attempt.pk}/").content.decode()
    item = current_item(attempt)
    for page in (first, second):
        positions = [page.index(f'name="choice" value="{pk}"') for pk in item.choice_order]
        assert positions == sorted(positions)


def test_right_and_wrong_answers_with_feedback(alice_client, alice, bank):
    start_quiz(alice_client, length="custom", custom_length="2")
    attempt = Attempt.objects.get(user=alice)
    item = current_item(attempt)
    response = alice_client.post(
        f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": correct_choice_id(item)}
    )
    assert response.url == f"/quizzes/{attempt.pk}/?feedback={item.position}"
    page = alice_client.get(response.url).content.decode()
    assert "Correct" in page and "Read the full model answer" in page and "Next question" in page

    item = current_item(attempt)
    response = alice_client.post(
        f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": wrong_choice_id(item)}
    )
    page = alice_client.get(response.url).content.decode()
    assert "Not quite" in page and "Correct answer:" in page and "See your results" in page
    attempt.refresh_from_db()
    assert attempt.status == Status.FINISHED and attempt.correct_count == 1 and attempt.score == 50


def test_missing_choice_shows_a_message(alice_client, alice, bank):
    start_quiz(alice_client)
    attempt = Attempt.objects.get(user=alice)
    item = current_item(attempt)
    response = alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position})
    assert response.status_code == 400
    assert "Choose an answer before submitting." in response.content.decode()
    assert not Answer.objects.exists()


def test_choice_of_another_question_is_refused(alice_client, alice, bank):
    start_quiz(alice_client)
    attempt = Attempt.objects.get(user=alice)
    item = current_item(attempt)
    foreign = Question.objects.exclude(pk=item.question_id).first().choices.first().pk
    response = alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": foreign})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_double_submit_counts_once(alice_client, alice, bank):
    start_quiz(alice_client, feedback_mode="end")
    attempt = Attempt.objects.get(user=alice)
    item = current_item(attempt)
    alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": correct_choice_id(item)})
    response = alice_client.post(
        f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": wrong_choice_id(item)}, follow=True
    )
    assert "your first answer counts" in response.content.decode()
    answers = Answer.objects.filter(item__attempt=attempt)
    assert answers.count() == 1 and answers.get().is_correct is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time: nothing races")
@pytest.mark.django_db(transaction=True)
def test_two_racing_submits_of_the_same_answer_count_once(bank):
    from tests.factories import UserFactory

    user = UserFactory()
    attempt = services.quiz_start(
        user=user, tags=[], difficulty="any", question_count=3, feedback_mode="end", now=timezone.now()
    )
    item = current_item(attempt)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(choice_id):
        try:
            barrier.wait()
            results.append(
                services.quiz_answer(
                    user=attempt.user,
                    attempt_id=attempt.pk,
                    position=item.position,
                    choice_id=choice_id,
                    now=timezone.now(),
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(cid,)) for cid in (correct_choice_id(item), wrong_choice_id(item))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.duplicate for r in results) == [False, True]
    assert Answer.objects.filter(item=item).count() == 1


def test_resume_at_first_unanswered_question_and_dashboard_lists_it(alice_client, alice, bank):
    start_quiz(alice_client, feedback_mode="end")
    attempt = Attempt.objects.get(user=alice)
    first = current_item(attempt)
    alice_client.post(f"/quizzes/{attempt.pk}/", {"position": first.position, "choice": correct_choice_id(first)})
    page = alice_client.get(f"/quizzes/{attempt.pk}/").content.decode()
    assert "Question 2 of 5" in page
    dashboard = alice_client.get("/").content.decode()
    assert f"Resume quiz #{attempt.pk}" in dashboard


def answer_all(client, attempt, *, right: set[int] = frozenset()):
    while (item := current_item(attempt)) is not None:
        choice = correct_choice_id(item) if item.position in right else wrong_choice_id(item)
        client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": choice})


def test_result_page_content(alice_client, alice, bank):
    start_quiz(alice_client, feedback_mode="end", length="5")
    attempt = Attempt.objects.get(user=alice)
    answer_all(alice_client, attempt, right={1, 2, 4})
    response = alice_client.get(f"/quizzes/{attempt.pk}/result/")
    html = response.content.decode()
    assert "3 / 5" in html and "60%" in html
    assert "Time taken" in html and "By topic" in html
    assert "Retry the 2 wrong ones" in html and "Start another quiz" in html
    for item in attempt.items.select_related("question"):
        assert item.question.prompt in html


def test_review_keeps_the_candidates_choice_after_an_admin_edit(alice_client, alice, bank):
    start_quiz(alice_client, feedback_mode="end", length="custom", custom_length="1")
    attempt = Attempt.objects.get(user=alice)
    item = current_item(attempt)
    chosen = item.question.choices.get(pk=wrong_choice_id(item))
    original = chosen.text
    answer_all(alice_client, attempt)
    chosen.text = "Edited later by staff"
    chosen.is_correct = False
    chosen.save()
    item.question.choices.filter(is_correct=True).update(is_correct=False)
    chosen_now_correct = item.question.choices.exclude(pk=chosen.pk).first()
    chosen_now_correct.is_correct = True
    chosen_now_correct.save()
    html = alice_client.get(f"/quizzes/{attempt.pk}/result/").content.decode()
    attempt.refresh_from_db()
    assert original in html and "Edited later by staff" not in html.split("Your answer:")[1].split("</p>")[0]
    assert attempt.score == 0


def test_retry_wrong_ones_starts_a_quiz_of_exactly_those(alice_client, alice, bank):
    start_quiz(alice_client, feedback_mode="end", length="5")
    attempt = Attempt.objects.get(user=alice)
    answer_all(alice_client, attempt, right={1, 3, 5})
    wrong = set(attempt.items.filter(answer__is_correct=False).values_list("question_id", flat=True))
    response = alice_client.post(f"/quizzes/{attempt.pk}/retry/")
    retry = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response.url == f"/quizzes/{retry.pk}/"
    assert set(retry.items.values_list("question_id", flat=True)) == wrong


def test_abandon(alice_client, alice, bank):
    start_quiz(alice_client)
    attempt = Attempt.objects.get(user=alice)
    alice_client.post(f"/attempts/{attempt.pk}/abandon/", {"kind": "quiz"})
    attempt.refresh_from_db()
    assert attempt.status == Status.ABANDONED
    assert f"Resume quiz #{attempt.pk}" not in alice_client.get("/").content.decode()
    assert alice_client.get(f"/attempts/{attempt.pk}/abandon/").status_code == 405


def test_another_users_quiz_is_404_and_visitors_log_in(alice_client, alice, bob_client, client, bank):
    start_quiz(alice_client)
    attempt = Attempt.objects.get(user=alice)
    for url in (f"/quizzes/{attempt.pk}/", f"/quizzes/{attempt.pk}/result/"):
        assert bob_client.get(url).status_code == 404
        assert client.get(url).url.startswith("/accounts/login/")
    item = current_item(attempt)
    assert (
        bob_client.post(f"/quizzes/{attempt.pk}/", {"position": 1, "choice": correct_choice_id(item)}).status_code
        == 404
    )
    assert bob_client.post(f"/quizzes/{attempt.pk}/retry/").status_code == 404
    assert bob_client.post(f"/attempts/{attempt.pk}/abandon/", {"kind": "quiz"}).status_code == 404
    assert not Answer.objects.exists()


def test_prefers_unseen_questions(alice, bank):
    now = timezone.now()
    first = services.quiz_start(user=alice, tags=[], difficulty="any", question_count=6, feedback_mode="end", now=now)
    second = services.quiz_start(user=alice, tags=[], difficulty="any", question_count=6, feedback_mode="end", now=now)
    seen_first = set(first.items.values_list("question_id", flat=True))
    assert seen_first.isdisjoint(second.items.values_list("question_id", flat=True))


@pytest.mark.parametrize("size", [5, 50])
def test_query_budget_of_question_and_result_pages(alice_client, alice, django_assert_num_queries, size):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    for _ in range(size):
        QuestionFactory(tags=[tag])
    start_quiz(alice_client, length="custom", custom_length=str(size), feedback_mode="end")
    attempt = Attempt.objects.get(user=alice)
    # session (from Redis when set), user, attempt, items with their answers, the current question's prompt with
    # its choices (one query; first view: not yet in the bank cache), the navigation's review due counts
    with django_assert_num_queries(5 + SESSION_QUERY):
        assert alice_client.get(f"/quizzes/{attempt.pk}/").status_code == 200
    answer_all(alice_client, attempt)
    # session, user, attempt, items with answers and questions, their choices, tag breakdown, review due counts
    with django_assert_num_queries(6 + SESSION_QUERY):
        assert alice_client.get(f"/quizzes/{attempt.pk}/result/").status_code == 200


@pytest.mark.parametrize(
    ("position", "choice", "message"),
    [
        ("999", "", "That question is not part of this quiz."),
        ("abc", "1", "That question is not part of this quiz."),
        ("999", "not-a-number", "That question is not part of this quiz."),
    ],
)
def test_bad_positions_are_refused_with_a_message(alice_client, alice, bank, position, choice, message):
    start_quiz(alice_client)
    attempt = Attempt.objects.get(user=alice)
    response = alice_client.post(f"/quizzes/{attempt.pk}/", {"position": position, "choice": choice}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Answer.objects.exists()


def test_an_empty_resubmit_of_an_answered_question_keeps_the_first_answer(alice_client, alice, bank):
    start_quiz(alice_client, feedback_mode="end")
    attempt = Attempt.objects.get(user=alice)
    item = current_item(attempt)
    alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position, "choice": correct_choice_id(item)})
    response = alice_client.post(f"/quizzes/{attempt.pk}/", {"position": item.position}, follow=True)
    assert "your first answer counts" in response.content.decode()
    assert Answer.objects.get(item=item).is_correct is True
