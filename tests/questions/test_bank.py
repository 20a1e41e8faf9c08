import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.utils import IntegrityError as DbIntegrityError

from questions.bank import (
    BankImportError,
    export_bank,
    import_bank,
    questions_from_database,
    questions_from_records,
    validate_questions,
)
from questions.models import Choice, KeyPoint, Question, Tag
from tests.factories import QuestionFactory, TagFactory

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "bank.json"


def run(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(*args, stdout=out)
        return 0, out.getvalue()
    except CommandError as exc:
        return 1, out.getvalue() + str(exc)


def test_at_most_one_correct_choice_per_question(db):
    question = QuestionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.create(question=question, text="Also right?", is_correct=True, explanation="No.")


def test_tag_slug_is_unique(db):
    Tag.objects.create(name="One", slug="same")
    with pytest.raises(DbIntegrityError), transaction.atomic():
        Tag.objects.create(name="Two", slug="same")


def test_published_queryset(db):
    shown = QuestionFactory()
    QuestionFactory(is_published=False)
    assert list(Question.objects.published()) == [shown]


def test_shipped_fixtures_are_valid_and_load_idempotently(db):
    # The structure here; how the bank renders and its multiple-choice figures in test_bank_quality.py.
    questions, problems = questions_from_records(json.loads(FIXTURE.read_text()))
    assert problems + validate_questions(questions) == []
    call_command("loaddata", "bank", verbosity=0)
    counts = (Question.objects.count(), Choice.objects.count(), KeyPoint.objects.count(), Tag.objects.count())
    call_command("loaddata", "bank", verbosity=0)
    assert (Question.objects.count(), Choice.objects.count(), KeyPoint.objects.count(), Tag.objects.count()) == counts
    assert counts[0] >= 228 and 30 <= counts[3] <= 45
    assert validate_questions(questions_from_database()) == []
    # every question lists at least one source, and every seed article is used
    assert not Question.objects.filter(sources=None).exists()


def test_shipped_content_rules(db):
    call_command("loaddata", "bank", verbosity=0)
    for question in Question.objects.prefetch_related("choices", "key_points", "tags"):
        assert question.choices.count() == 4
        assert 2 <= question.key_points.count() <= 6
        assert 1 <= question.tags.count() <= 4


def test_validator_reports_each_problem_naming_the_question(db):
    good = QuestionFactory(answer="word " * 100)
    bad = QuestionFactory(prompt="Broken one?", answer="Too short.", choices=False, key_points=False, tags=[])
    Choice.objects.create(question=bad, text="a", is_correct=False, explanation="x")
    QuestionFactory(prompt="broken ONE", answer="word " * 100)  # duplicate prompt, ignoring case and punctuation
    code, out = run("validate_bank")
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("Question")]
    assert not any(f"Question {good.pk} " in line for line in lines)
    expected = [
        "duplicate prompt",
        "model answer has 2 words",
        "no tag",
        "1 choices; it needs exactly 4",
        "0 correct choices",
        "0 key points",
    ]
    for text in expected:
        assert any(f"Question {bad.pk} " in line and text in line for line in lines), text


def test_validator_on_a_broken_fixture_file(tmp_path):
    records = json.loads(FIXTURE.read_text())
    choice = next(r for r in records if r["model"] == "questions.choice" and not r["fields"]["is_correct"])
    choice["fields"]["is_correct"] = True
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(records))
    code, out = run("validate_bank", "--fixtures", str(broken))
    assert code == 1
    assert f"Question {choice['fields']['question']} " in out and "2 correct choices" in out


def test_import_round_trips_an_export(db):
    call_command("loaddata", "bank", verbosity=0)
    exported = export_bank()
    Question.objects.filter(pk=1).update(prompt="Changed locally")
    counts = import_bank(exported)
    assert counts["questions"] == Question.objects.count()
    assert Question.objects.get(pk=1).prompt != "Changed locally"
    assert json.loads(export_bank()) == json.loads(exported)


def test_bad_import_writes_nothing_and_names_the_row(db):
    call_command("loaddata", "bank", verbosity=0)
    records = json.loads(export_bank())
    records[-1]["fields"]["keywords"] = []  # the last key point
    question = next(r for r in records if r["model"] == "questions.question")
    question["fields"]["prompt"] = "Should not be saved"
    with pytest.raises(BankImportError) as excinfo:
        import_bank(json.dumps(records))
    assert any("key point" in line and "no keywords" in line for line in excinfo.value.problems)
    assert not Question.objects.filter(prompt="Should not be saved").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"a": 1}', "not a JSON list"),
        (b'[{"model": "auth.user", "pk": 1, "fields": {}}]', "unknown model"),
    ],
)
def test_import_rejects_malformed_files(db, content, message):
    with pytest.raises(BankImportError) as excinfo:
        import_bank(content)
    assert message in " ".join(excinfo.value.problems)
    assert not Question.objects.exists()


def test_import_command(tmp_path, db):
    path = tmp_path / "bank.json"
    path.write_text(FIXTURE.read_text())
    code, out = run("import_bank", str(path))
    assert code == 0 and "Imported" in out
    path.write_text("[1, 2]")
    code, out = run("import_bank", str(path))
    assert code == 1 and "Nothing was imported" in out


def test_tags_are_a_taxonomy(db):
    call_command("loaddata", "bank", verbosity=0)
    assert TagFactory._meta.model.objects.filter(slug__in=["cnn", "rnn", "transformers", "statistics"]).count() == 4


TOPICS_2026 = [
    "tokenisation", "pretraining-scaling", "peft", "alignment", "diffusion", "mixed-precision",
    "distributed-training", "training-memory", "inference-efficiency", "decoding", "compression", "vit",
    "detection-segmentation", "contrastive-multimodal", "rag", "generative-evaluation", "moe", "calibration",
    "interpretability",
]  # fmt: skip


def test_bank_covers_what_2026_interviews_ask(db):
    call_command("loaddata", "bank", verbosity=0)
    for slug in TOPICS_2026:
        levels = set(Question.objects.published().filter(tags__slug=slug).values_list("difficulty", flat=True))
        assert Question.objects.published().filter(tags__slug=slug).count() >= 4, slug
        assert levels == {"basic", "intermediate", "advanced"}, slug
    # Topic 20, the practical one: system design, worked calculations and debugging, among the editors' questions.
    editors = Question.objects.filter(sources__title="InterviewPrep editors, 2026 topics")
    assert editors.filter(tags__slug__in=["system-design", "practical", "calculations"]).distinct().count() >= 4
    assert editors.count() >= 100
    assert Question.objects.filter(difficulty="advanced").count() * 4 >= Question.objects.count()
