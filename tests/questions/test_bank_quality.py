"""The shipped bank renders as meant and its multiple-choice questions cannot be guessed (issue 16).

validate_bank over fixtures/bank.json: no list markers left in a paragraph, no unbalanced $, every formula
converts to MathML, no raw HTML, code in a known language; and the multiple-choice figures within their limits
(the correct choice the longest in at most 30% of questions; absolute words about as common in correct choices
as in wrong ones)."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from questions.bank import (
    MAX_ABSOLUTE_RATE_GAP,
    MAX_LONGEST_CORRECT_SHARE,
    mcq_figures,
    questions_from_records,
    rendering_problems,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "bank.json"


def test_validate_bank_passes_on_the_shipped_bank_and_prints_the_figures():
    out = StringIO()
    try:
        call_command("validate_bank", "--fixtures", stdout=out)
    except CommandError as exc:
        raise AssertionError(out.getvalue() + str(exc)) from None
    assert "Multiple-choice figures over" in out.getvalue()


def test_the_shipped_bank_renders_as_meant():
    questions, problems = questions_from_records(json.loads(FIXTURE.read_text()))
    assert problems + rendering_problems(questions) == []


def test_the_shipped_bank_gives_no_answer_away_by_length_or_wording():
    questions, _ = questions_from_records(json.loads(FIXTURE.read_text()))
    figures = mcq_figures(questions)
    assert figures["longest_correct_share"] <= MAX_LONGEST_CORRECT_SHARE, figures
    assert figures["absolute_rate_gap"] <= MAX_ABSOLUTE_RATE_GAP, figures
