"""validate_bank's rendering checks and multiple-choice figures, on small banks (the whole bank is in
test_bank_quality.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from questions.bank import (
    BankChoice,
    BankQuestion,
    mcq_figure_problems,
    mcq_figures,
    rendering_problems,
)
from questions.models import Choice
from tests.factories import QuestionFactory


def question(
    ref: str, correct: str, *wrong: str, answer: str = "An answer.", explanation: str = "Why."
) -> BankQuestion:
    choices = [BankChoice(correct, True, explanation)] + [BankChoice(text, False, explanation) for text in wrong]
    return BankQuestion(ref=ref, prompt=ref, answer=answer, difficulty="basic", tag_count=1, choices=choices)


def test_longest_correct_share_counts_ties_as_longest():
    bank = [
        question("q1", "a longer right one", "short", "tiny", "wee"),  # correct is the longest
        question("q2", "same", "same", "xx", "y"),  # a tie counts as longest
        question("q3", "short", "a much longer wrong one", "xx", "y"),
        question("q4", "ab", "abc", "a", "b"),
    ]
    figures = mcq_figures(bank)
    assert figures["questions"] == 4
    assert figures["longest_correct_share"] == 0.5


def test_absolute_word_rates_by_correctness_whole_words_any_case():
    bank = [
        question("q1", "It ALWAYS converges.", "Usually.", "Often.", "Sometimes."),
        question("q2", "It depends.", "Never.", "Musty old data.", "Alloys and allowances."),  # must/all: not words
    ]
    figures = mcq_figures(bank)
    assert figures["absolute_rate_correct"] == 0.5
    assert figures["absolute_rate_wrong"] == pytest.approx(1 / 6)
    assert figures["absolute_rate_gap"] == pytest.approx(0.5 - 1 / 6)


def test_length_spread_median_and_maximum():
    bank = [
        question("q1", "aaaa", "aa", "aaa", "aaaa"),  # 4 / 2
        question("q2", "aaa", "aaa", "aaa", "aaa"),  # 1
        question("q3", "a" * 9, "aaa", "aaaa", "aaaaa"),  # 3
    ]
    figures = mcq_figures(bank)
    assert figures["length_ratio_median"] == 2 and figures["length_ratio_max"] == 3


def test_figures_within_the_limits_pass_and_beyond_them_fail():
    fair = [
        question("q1", "short right", "a longer wrong choice", "mid wrong", "x"),
        question("q2", "never the longest", "only this one is long", "b", "c"),
        question("q3", "ok", "always a longer wrong", "d", "e"),
        question("q4", "right but brief", "wrong and much longer", "f", "g"),
    ]
    figures = mcq_figures(fair)
    assert figures["longest_correct_share"] == 0
    assert figures["absolute_rate_gap"] == pytest.approx(0.25 - 2 / 12)
    assert mcq_figure_problems(figures) == []
    leaky = [question(f"q{n}", "the long correct choice here", "never", "always", "only") for n in range(4)]
    problems = mcq_figure_problems(mcq_figures(leaky))
    assert any("the correct choice is the longest in 100.0% of questions; at most 30%" in p for p in problems)
    assert any("absolute words are in 0.0% of correct choices and 100.0% of wrong ones" in p for p in problems)


def test_rendering_problems_name_the_question_and_the_field():
    good = question("Question 1", "$x^2$", "b", "c", "d", answer="How:\n- one\n- two", explanation="Since $a$.")
    bad = question("Question 2", "a", "<b>b</b>", "c", "d", answer="Steps:\n2. two\n3. three", explanation="\\$5")
    bad.choices[3].explanation = r"Because $\frac{a$."
    problems = rendering_problems([good, bad])
    assert not any(p.startswith("Question 1:") for p in problems), problems
    assert "Question 2: the model answer: a paragraph holds the list marker of '2. two'" in problems[0]
    assert any(p.startswith("Question 2: choice 2: raw HTML '<b>'") for p in problems)
    assert any(p.startswith("Question 2: the explanation of choice 4: unbalanced braces") for p in problems)


def run(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(*args, stdout=out)
        return 0, out.getvalue()
    except CommandError as exc:
        return 1, out.getvalue() + str(exc)


def set_choices(q, correct: str, *wrong: str) -> None:
    choices = list(q.choices.order_by("-is_correct", "id"))
    for choice, text in zip(choices, (correct, *wrong), strict=True):
        choice.text = text
    Choice.objects.bulk_update(choices, ["text"])


def test_validate_bank_prints_the_figures_and_refuses_a_leaky_bank(db):
    answer = "word " * 90
    fair = [QuestionFactory(answer=answer) for _ in range(4)]
    for q in fair:
        set_choices(q, "right and short", "a wrong choice that is longer", "another wrong one", "wrong again")
    code, out = run("validate_bank")
    assert code == 0, out
    assert "Multiple-choice figures over 4 questions:" in out and "correct choice the longest: 0.0%" in out
    assert "absolute words: 0.0% of correct choices, 0.0% of wrong ones" in out
    for q in fair[:2]:
        set_choices(q, "the right choice, and by far the longest", "no", "nah", "never")
    code, out = run("validate_bank")
    assert code == 1
    assert "the correct choice is the longest in 50.0% of questions; at most 30% are allowed" in out


def test_validate_bank_refuses_what_renders_badly(db):
    q = QuestionFactory(answer="How it works:\n2. first\n3. second\n" + "word " * 90)
    set_choices(q, "Costs $5", "b is longer than", "c is longer too", "d is the longest of all")
    code, out = run("validate_bank")
    assert code == 1
    assert f"Question {q.pk} " in out and "the model answer: a paragraph holds the list marker of '2. first'" in out
    assert "choice 1: an unbalanced $ in 'Costs $5'" in out


def test_import_refuses_a_file_that_renders_badly_and_writes_nothing(db):
    import json

    from questions.bank import BankImportError, export_bank, import_bank
    from questions.models import Question

    q = QuestionFactory(answer="word " * 90)
    records = json.loads(export_bank())
    for record in records:
        if record["model"] == "questions.question":
            record["fields"]["answer"] = "word " * 90 + "<script>alert(1)</script>"
    with pytest.raises(BankImportError) as excinfo:
        import_bank(json.dumps(records))
    assert any(p.startswith(f"Question {q.pk} ") and "raw HTML '<script>'" in p for p in excinfo.value.problems)
    assert Question.objects.get().answer == "word " * 90
