import pytest

from questions.models import Question
from tests.factories import QuestionFactory, TagFactory


@pytest.fixture
def fast_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.BANK_CACHE = True
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_question_page_is_cached_and_an_edit_shows_at_once(client, db, fast_cache, django_assert_num_queries):
    tag = TagFactory(slug="cnn", name="CNN")
    question = QuestionFactory(prompt="Original prompt?", tags=[tag])
    assert "Original prompt?" in client.get(f"/questions/{question.pk}/").content.decode()
    # Warm: a visitor's question page costs no query; the bank data comes from the cache.
    with django_assert_num_queries(0):
        assert client.get(f"/questions/{question.pk}/").status_code == 200
    question.prompt = "Edited prompt?"
    question.save()
    assert "Edited prompt?" in client.get(f"/questions/{question.pk}/").content.decode()
    question.tags.clear()
    assert "CNN" not in client.get(f"/questions/{question.pk}/").content.decode().split("<article")[1]


def test_unpublishing_hides_a_cached_question(client, db, fast_cache):
    question = QuestionFactory()
    assert client.get(f"/questions/{question.pk}/").status_code == 200
    Question.objects.get(pk=question.pk).save()  # warm again after the save
    question.is_published = False
    question.save()
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    assert client.get("/questions/424242/").status_code == 404
