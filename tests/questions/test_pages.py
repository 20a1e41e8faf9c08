import pytest

from questions.models import Choice
from tests.conftest import BANK_QUERY
from tests.factories import QuestionFactory, TagFactory


@pytest.fixture
def questions(db):
    cnn = TagFactory(slug="cnn", name="CNN")
    stats = TagFactory(slug="statistics", name="Statistics")
    return {
        "conv": QuestionFactory(
            prompt="What does a convolution layer compute?",
            tags=[cnn],
            difficulty="basic",
            answer="It slides learned filters over the input. " * 12,
        ),
        "pool": QuestionFactory(
            prompt="Why use pooling?",
            tags=[cnn],
            difficulty="advanced",
            answer="Pooling downsamples feature maps and adds invariance. " * 10,
        ),
        "pval": QuestionFactory(
            prompt="What is a p-value?",
            tags=[stats],
            difficulty="basic",
            answer="The probability under the null hypothesis of data at least this extreme. " * 8,
        ),
        "hidden": QuestionFactory(prompt="Secret draft question?", tags=[cnn], is_published=False),
    }


def test_list_shows_published_questions_with_counts(client, questions):
    html = client.get("/questions/").content.decode()
    assert "3 questions" in html
    assert "Secret draft question?" not in html


def test_filters_combine_and_stay_in_the_url(client, questions):
    html = client.get("/questions/?tag=cnn&difficulty=basic").content.decode()
    assert "What does a convolution layer compute?" in html
    assert "Why use pooling?" not in html and "What is a p-value?" not in html
    assert "1 question" in html


def test_search_ranks_and_matches_answers(client, questions):
    html = client.get("/questions/?q=null+hypothesis").content.decode()
    assert "What is a p-value?" in html and "Why use pooling?" not in html
    html = client.get("/questions/?q=pooling").content.decode()
    assert (
        html.index("Why use pooling?") < html.index("What does a convolution")
        if "What does a convolution" in html
        else True
    )


def test_search_with_no_match_explains_itself(client, questions):
    html = client.get("/questions/?q=quantum+chromodynamics").content.decode()
    assert "No questions match" in html and "quantum chromodynamics" in html


@pytest.mark.parametrize(
    "query",
    [
        "?tag=nonsense",
        "?difficulty=impossible",
        "?page=999",
        "?page=abc",
        "?page=-1",
        "?q=" + "x" * 300,
        "?tag=cnn&tag=rnn",
        "?q=%00",
        "?difficulty[]=basic",
        "?q=%27%22%3C%3E",
    ],
)
def test_bad_query_strings_never_fail(client, questions, query):
    response = client.get("/questions/" + query)
    assert response.status_code == 200


def test_unknown_filter_is_reported_and_ignored(client, questions):
    html = client.get("/questions/?tag=nonsense").content.decode()
    assert "That topic does not exist, so it was ignored." in html
    assert "3 questions" in html


def test_pagination(client, db):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    for _ in range(45):
        QuestionFactory(tags=[tag])
    html = client.get("/questions/?page=3").content.decode()
    assert "page 3 of 3" in html and 'start="41"' in html


def test_detail_hides_answer_until_revealed_and_shows_key_points(client, questions):
    q = questions["conv"]
    html = client.get(f"/questions/{q.pk}/").content.decode()
    assert "<details" in html and "Show answer" in html
    details = html.split("<details")[1].split("</details>")[0]
    assert "slides learned filters" in details
    assert "Mentions gradients" in details  # key point


def test_detail_escapes_html_in_answers(client, db):
    q = QuestionFactory(answer="Try <script>alert('x')</script> and <b onclick='y'>bold</b> " + "word " * 80)
    html = client.get(f"/questions/{q.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<b onclick" not in html and "&lt;b onclick" in html


def test_unpublished_is_404_for_candidates_and_visible_to_staff(client, alice_client, staff_client, questions):
    q = questions["hidden"]
    assert client.get(f"/questions/{q.pk}/").status_code == 404
    assert alice_client.get(f"/questions/{q.pk}/").status_code == 404
    response = staff_client.get(f"/questions/{q.pk}/")
    assert response.status_code == 200 and "Unpublished" in response.content.decode()
    assert client.get("/questions/999999/").status_code == 404


def test_previous_and_next_follow_the_filter(client, questions):
    conv, pool = questions["conv"], questions["pool"]
    html = client.get(f"/questions/{conv.pk}/?tag=cnn").content.decode()
    assert f"/questions/{pool.pk}/?tag=cnn" in html and "1 of 2" in html
    assert f"/questions/{questions['pval'].pk}/" not in html


@pytest.mark.parametrize("size", [10, 500])
def test_query_budget(client, db, django_assert_num_queries, size):
    tags = [TagFactory(slug=f"t{n}", name=f"T{n}") for n in range(3)]
    for n in range(size):
        QuestionFactory(tags=[tags[n % 3]], choices=False, key_points=False)
    # list (a visitor: no session): tags, count, page of questions, their tags
    with django_assert_num_queries(4):
        assert client.get("/questions/?tag=t1").status_code == 200
    # search: tags (cached by the list with Redis), the ranked matches with their tag ids
    with django_assert_num_queries(1 + BANK_QUERY):
        assert client.get("/questions/?tag=t1&q=concept").status_code == 200
    question = tags[1].questions.first()
    # detail (first view): question, its tags, sources, key points, the ids in the filter and the topics that
    # check it
    with django_assert_num_queries(6):
        assert client.get(f"/questions/{question.pk}/?tag=t1").status_code == 200


def test_admin_refuses_two_correct_choices(staff_client, db):
    question = QuestionFactory(answer="A model answer long enough for the bank's rule of 80 to 250 words. " * 7)
    tag = question.tags.first()
    choices = list(question.choices.all())
    keypoints = list(question.key_points.all())
    data = {
        "prompt": question.prompt,
        "answer": question.answer,
        "difficulty": "basic",
        "tags": [tag.pk],
        "is_published": "on",
        "choices-TOTAL_FORMS": 4,
        "choices-INITIAL_FORMS": 4,
        "choices-MIN_NUM_FORMS": 4,
        "choices-MAX_NUM_FORMS": 4,
        "key_points-TOTAL_FORMS": 2,
        "key_points-INITIAL_FORMS": 2,
        "key_points-MIN_NUM_FORMS": 2,
        "key_points-MAX_NUM_FORMS": 1000,
    }
    for n, choice in enumerate(choices):
        data |= {
            f"choices-{n}-id": choice.pk,
            f"choices-{n}-question": question.pk,
            f"choices-{n}-text": choice.text,
            f"choices-{n}-explanation": choice.explanation,
        }
        if n < 2:
            data[f"choices-{n}-is_correct"] = "on"
    for n, kp in enumerate(keypoints):
        data |= {
            f"key_points-{n}-id": kp.pk,
            f"key_points-{n}-question": question.pk,
            f"key_points-{n}-text": kp.text,
            f"key_points-{n}-keywords": ", ".join(kp.keywords),
        }
    response = staff_client.post(f"/admin/questions/question/{question.pk}/change/", data)
    assert response.status_code == 200
    assert "Mark exactly one choice as correct: 2 are marked now." in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1

    data.pop("choices-1-is_correct")
    data["key_points-0-keywords"] = "slope, derivative"
    response = staff_client.post(f"/admin/questions/question/{question.pk}/change/", data)
    assert response.status_code == 302
    assert question.key_points.get(pk=keypoints[0].pk).keywords == ["slope", "derivative"]


def test_admin_import_and_export(staff_client, db):
    from io import BytesIO

    from django.core.management import call_command

    call_command("loaddata", "bank", verbosity=0)
    exported = staff_client.get("/admin/questions/question/export/")
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment")
    upload = BytesIO(exported.content)
    upload.name = "bank.json"
    response = staff_client.post("/admin/questions/question/import/", {"file": upload})
    assert response.status_code == 302
    bad = BytesIO(b"[{]")
    bad.name = "bad.json"
    response = staff_client.post("/admin/questions/question/import/", {"file": bad})
    assert response.status_code == 400 and "Nothing was imported" in response.content.decode()


def test_admin_lists_questions_and_tags(staff_client, questions, alice_client):
    assert staff_client.get("/admin/questions/question/").status_code == 200
    assert staff_client.get("/admin/questions/tag/").status_code == 200
    assert alice_client.get("/admin/questions/question/").status_code == 302
    assert Choice.objects.exists()
