"""Search relevance and the index's upkeep, on the real bank. Runs on PostgreSQL and on SQLite (make test)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from questions import search
from questions.bank import import_bank
from questions.models import Choice, KeyPoint, Question, SearchDocument, SearchTerm, Source, Tag
from questions.services import search_questions

# (query, the question that must rank in the top 3): spellings, abbreviations, typos, several words, prompts.
RELEVANCE = [
    ("dropout", 47),
    ("regularization", 45),
    ("regularisation", 45),
    ("batch normalization", 39),
    ("batchnorm", 39),
    ("BN", 39),
    ("layer norm", 64),
    ("CNN", 50),
    ("convnet", 50),
    ("RNN", 54),
    ("recurrent neural networks", 54),
    ("LSTM", 55),
    ("GRU", 56),
    ("GAN", 65),
    ("VAE", 70),
    ("SGD", 25),
    ("backprop", 20),
    ("optimizer", 27),
    ("ReLU", 15),
    ("overfiting", 43),
    ("dropuot", 47),
    ("hetroscedasticity", 125),
    ("vanishing gradients", 34),
    ("xavier initialization", 37),
    ("skip connections", 40),
    ("k-fold cross validation", 88),
    ("self-attention", 60),
    ("positional encoding", 63),
    ("tf-idf", 111),
    ("ROC AUC", 87),
    ("imbalanced data", 85),
    ("early stopping", 48),
    ("learning rate warmup", 41),
    ("p value", 119),
    ("z-score", 99),
    ("confidence interval", 128),
    ("byte pair encoding", 130),
    ("LoRA", 141),
    ("low-rank adaptation", 141),
    ("RLHF reward model", 146),
    ("direct preference optimization", 148),
    ("KV cache", 171),
    ("flash attention", 173),
    ("speculative decodng", 175),
    ("nucleus sampling", 179),
    ("ViT", 187),
    ("non max suppression", 193),
    ("retrieval augmented generation", 203),
    ("MoE", 213),
    ("mixture of experts load balancing", 215),
    ("What is the bias-variance trade-off?", 89),
    ("How do L1 and L2 regularisation differ?", 46),
    ("Why is initialising all the weights of a neural network to zero a bad idea?", 38),
]


@pytest.fixture(scope="module")
def _bank_loaded(django_db_setup, django_db_blocker):
    """The real bank, loaded once for this module (committed), removed afterwards.

    loaddata's records arrive raw, so the index is refreshed once, when loaddata's transaction commits: this is
    the path `make run` takes. Each test still runs in its own transaction, rolled back at its end.
    """
    with django_db_blocker.unblock():
        call_command("loaddata", "bank", verbosity=0)
        yield
        for model in (SearchTerm, KeyPoint, Choice, Question, Tag, Source):
            model.objects.all().delete()


@pytest.fixture
def bank(_bank_loaded, db):
    return None


def top3(query: str) -> list[int]:
    return [q.pk for q in search_questions(q=query).questions[:3]]


def test_relevance_table(bank):
    misses = [(query, pk, top3(query)) for query, pk in RELEVANCE if pk not in top3(query)]
    hit_rate = 1 - len(misses) / len(RELEVANCE)
    print(f"top-3 hit rate on {settings.DATABASES['default']['ENGINE']}: {hit_rate:.0%} of {len(RELEVANCE)}")
    assert not misses, misses


def test_spelling_variants_and_abbreviations_normalise_alike():
    assert search.query_terms("Regularisation") == search.query_terms("regularization")
    assert search.query_terms("normalise") == search.query_terms("normalize")
    assert search.query_terms("BN") == search.query_terms("batch normalisation") == ["batchnorm"]
    assert "batchnorm" in search.document_text("Batch normalisation rescales activations").split()
    assert search.query_terms("what is the dropout") == ["dropout"]


def test_typo_says_what_it_searched_and_links_to_the_words_typed(client, bank):
    html = client.get("/questions/?q=overfittting+regularisaton").content.decode()
    assert "Showing results for <em>overfitting regularisation</em>" in html
    assert "exact=1" in html
    html = client.get("/questions/?q=regularisaton&exact=1").content.decode()
    assert "No questions match" in html


def test_snippet_marks_terms_and_escapes_the_text():
    html = search.snippet("Use <script>alert(1)</script> dropout & batch normalisation.", ["dropout", "batchnorm"])
    assert "<script" not in html and "&lt;script" in html
    assert "<mark>dropout</mark>" in html and "<mark>batch</mark> <mark>normalisation</mark>" in html
    assert "&amp;" in html


def test_results_show_highlighted_passages(client, bank):
    html = client.get("/questions/?q=dropout").content.decode()
    assert 'class="search-snippet' in html and "<mark>" in html


def test_empty_query_lists_the_bank_in_order_and_numbering_continues(client, bank):
    first = client.get("/questions/").content.decode()
    assert '<ol class="list-group question-list mb-4" start="1">' in first
    second = client.get("/questions/?page=2").content.decode()
    assert 'start="21"' in second and ">21.</span>" in second
    assert "What is deep learning?" in first and "What is deep learning?" not in second


def test_pagination_keeps_the_query(client, bank):
    html = client.get("/questions/?q=network").content.decode()
    assert "q=network&amp;page=2" in html


def test_filters_combine_with_the_query(client, bank):
    html = client.get("/questions/?q=gradient&difficulty=advanced").content.decode()
    assert "What is backpropagation, and how" not in html  # an intermediate question
    ids = [q.pk for q in search_questions(q="gradient", difficulty="advanced").questions]
    assert ids and set(Question.objects.filter(pk__in=ids).values_list("difficulty", flat=True)) == {"advanced"}


def test_search_is_at_most_three_queries(bank, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the search itself
        assert search_questions(q="dropout").questions
    with django_assert_max_num_queries(3):  # no result; close words; the search again
        assert search_questions(q="dropuot").questions


def test_index_follows_admin_edits_and_deletes(staff_client, bank, django_capture_on_commit_callbacks):
    question = Question.objects.get(pk=47)
    question.prompt = "What is zebrastripe regularisation?"
    question.save()
    assert top3("zebrastripe") == [47]
    KeyPoint.objects.create(question=question, text="Mentions okapi noise", keywords=["okapi"])
    assert top3("okapi") == [47]
    with django_capture_on_commit_callbacks(execute=True):
        KeyPoint.objects.filter(question=question, text="Mentions okapi noise").delete()
    assert top3("okapi") == []
    with django_capture_on_commit_callbacks(execute=True):
        question.delete()
    assert not SearchDocument.objects.filter(question_id=47).exists()
    assert top3("zebrastripe") == []


def test_index_follows_a_bank_import(bank, django_capture_on_commit_callbacks):
    records = json.loads((Path(settings.BASE_DIR) / "fixtures" / "bank.json").read_text())
    for record in records:
        if record["model"] == "questions.question" and record["pk"] == 46:
            record["fields"]["prompt"] = "How do L1 and L2 (quokka) penalties differ?"
    with django_capture_on_commit_callbacks(execute=True):
        import_bank(json.dumps(records))
    assert top3("quokka") == [46]


def test_rebuild_command_indexes_every_question(bank):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert SearchDocument.objects.count() == Question.objects.count()
    assert top3("dropout")[0] == 47


def test_a_rolled_back_transaction_does_not_stall_later_refreshes(bank, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        search.schedule_refresh(47, now=False)
        raise RuntimeError("an import that fails half-way")
    Question.objects.filter(pk=46).update(prompt="How do narwhal penalties differ?")  # update() sends no signal
    with django_capture_on_commit_callbacks(execute=True):
        search.schedule_refresh(46, now=False)
    assert top3("narwhal") == [46]


def test_list_page_query_counts(client, bank, django_assert_num_queries):
    with django_assert_num_queries(4):  # tags for the filter; count; the page's questions; their tags
        client.get("/questions/")
    with django_assert_num_queries(2):  # tags for the filter; the search (with each result's tag ids)
        client.get("/questions/?q=dropout&page=2")
    with django_assert_num_queries(4):  # tags; the search (nothing); the close words; the search again
        client.get("/questions/?q=dropuot")
