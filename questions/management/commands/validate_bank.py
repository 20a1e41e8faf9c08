import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from questions.bank import (
    mcq_figure_lines,
    mcq_figure_problems,
    mcq_figures,
    questions_from_database,
    questions_from_records,
    rendering_problems,
    validate_questions,
)


class Command(BaseCommand):
    help = (
        "Check the question bank: four choices with exactly one correct, at least two key points with keywords, "
        "a tag, a valid difficulty, a model answer of 80-250 words, no duplicate prompts; Markdown that renders "
        "as meant (no list markers left in a paragraph, no unbalanced $, maths that converts to MathML, no raw "
        "HTML, code blocks in a known language). Prints the multiple-choice figures (correct choice the longest, "
        "absolute words by correctness, length spread) and fails when they pass their limits. Prints one line per "
        "problem and exits non-zero if there is any. --fixtures checks fixture files instead of the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            nargs="*",
            metavar="FILE",
            help="Check these fixture files (default: fixtures/bank.json) instead of the database.",
        )

    def handle(self, *args, fixtures=None, **options):
        if fixtures is not None:
            paths = [Path(p) for p in fixtures] or [Path(settings.BASE_DIR) / "fixtures" / "bank.json"]
            records: list = []
            for path in paths:
                try:
                    records.extend(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError, TypeError) as exc:
                    raise CommandError(f"{path}: cannot be read as a JSON list: {exc}") from None
            questions, problems = questions_from_records(records)
            where = ", ".join(str(p) for p in paths)
        else:
            questions, problems = questions_from_database(), []
            where = "the database"
        problems += validate_questions(questions) + rendering_problems(questions)
        figures = mcq_figures(questions)
        problems += mcq_figure_problems(figures)
        for line in problems:
            self.stdout.write(line)
        for line in mcq_figure_lines(figures):
            self.stdout.write(line)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {where}.")
        self.stdout.write(self.style.SUCCESS(f"The bank in {where} is valid: {len(questions)} questions."))
