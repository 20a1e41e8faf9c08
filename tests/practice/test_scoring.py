"""The automatic interview hint: its keyword rules, its evidence and its accuracy on the graded set."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from practice import evaluation, scoring
from practice.scoring import Status, keyword_status

DATA = Path(settings.BASE_DIR) / "tests" / "data"


@pytest.mark.parametrize(
    ("keywords", "answer", "status"),
    [
        # Stemming that does not collide (the old stemmer matched each of these).
        (["generalisation"], "In general, a bigger model fits the training set better.", Status.MISSING),
        (["bagging"], "A bag of words model counts each word once per document.", Status.MISSING),
        (["bagging"], "Bagging trains trees on bootstrap samples and averages them.", Status.COVERED),
        (["normalise"], "We normalized every feature to zero mean.", Status.COVERED),
        (["gradient"], "The gradients vanish in the early layers.", Status.COVERED),
        # Negation turns a match into a contradiction.
        (
            ["regularisation", "dropout"],
            "You don't need dropout for this, it is not a regularisation method.",
            Status.CONTRADICTED,
        ),
        (
            ["detects overfitting", "detect"],
            "Cross-validation does not detect overfitting; it prevents it.",
            Status.CONTRADICTED,
        ),
        (["dropout"], "Without dropout it overfits. Dropout fixes that by zeroing units.", Status.COVERED),
        # Numbers are numbers, with their unit.
        (["0.5"], "We drop units with probability 0.50 during training.", Status.COVERED),
        (["0.5"], "We drop 5 units per layer.", Status.MISSING),
        (["20 tokens"], "Chinchilla suggests about 20 tokens per parameter.", Status.COVERED),
        (["20 tokens"], "Chinchilla suggests about 200 tokens per parameter.", Status.MISSING),
    ],
)
def test_keyword_rules(keywords, answer, status):
    assert keyword_status(keywords, scoring.sentences(answer))[0] == status


def test_sentences_split_lists_and_sentences():
    text = "Dropout zeroes units. It also rescales them!\n- first point\n- second point; and a clause"
    assert scoring.sentences(text) == [
        "Dropout zeroes units.",
        "It also rescales them!",
        "first point",
        "second point;",
        "and a clause",
    ]


@pytest.fixture(scope="module")
def _bank_loaded(django_db_setup, django_db_blocker):
    from questions.models import Choice, KeyPoint, Question, SearchTerm, Source, Tag

    with django_db_blocker.unblock():
        call_command("loaddata", "bank", verbosity=0)
        yield
        for model in (SearchTerm, KeyPoint, Choice, Question, Tag, Source):
            model.objects.all().delete()


@pytest.fixture
def bank(_bank_loaded, db):
    return None


def test_evidence_names_the_deciding_sentence_and_the_misconception(bank):
    from questions.models import Question

    question = Question.objects.get(pk=47)
    result = scoring.score_answer(
        question,
        "Dropout switches off random units on each training step. At test time you keep dropping the same "
        "fraction of units so that test conditions match training.",
    )
    covered = [p for p in result.key_points if p.status == Status.COVERED]
    assert covered and all(p.sentence for p in covered)
    assert result.misconceptions, result.as_json()
    assert "same fraction" in result.misconceptions[0].sentence
    assert result.misconceptions[0].explanation
    assert scoring.score_answer(question, "   ").score == 0.0


def _figures(name: str):
    rows = evaluation.read_jsonl(DATA / name)
    questions = evaluation.load_questions(r["question"] for r in rows)
    return evaluation.evaluate(rows, evaluation.variants()["all signals (the scorer)"], questions)


@pytest.mark.parametrize("name", ["graded_answers.jsonl", "graded_answers_holdout.jsonl"])
def test_scorer_meets_the_targets_on_the_graded_sets(bank, name):
    figures = _figures(name)
    assert figures.pairwise >= 0.88, figures
    assert figures.wrong_at_least_partial <= 0.25, figures
    assert figures.off_topic_below_partial == 1.0, figures


def test_score_answers_prints_one_json_line_per_input_in_order(bank, tmp_path, capsys):
    source = tmp_path / "answers.jsonl"
    source.write_text(
        json.dumps({"question": 47, "answer": "Dropout zeroes random units while training."})
        + "\n"
        + "not json\n"
        + json.dumps({"question": 999999, "answer": "x"})
        + "\n"
        + json.dumps({"question": 46, "answer": ""})
        + "\n"
    )
    call_command("score_answers", str(source))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("question") for line in lines] == [47, None, 999999, 46]
    assert 0 < lines[0]["score"] <= 1 and lines[0]["key_points"]
    assert "error" in lines[1] and lines[2]["error"] == "no such question"
    assert lines[3]["score"] == 0


def test_the_model_ships_in_a_package_and_loads_offline():
    code = "from practice import embeddings; v = embeddings.encode(['a b c']); print(v.shape)"
    env = {"HF_HUB_OFFLINE": "1", "PATH": "", "DJANGO_SETTINGS_MODULE": "interviewprep.settings"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR)
    assert out.stdout.strip() == "(1, 384)", out.stderr
