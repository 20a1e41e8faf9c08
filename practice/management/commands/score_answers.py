import json
import sys

from django.core.management.base import BaseCommand, CommandError

from practice import evaluation, scoring


class Command(BaseCommand):
    help = (
        'Score free-text answers: reads JSON Lines {"question": <id>, "answer": "<text>"} from FILE (or - for '
        'standard input) and prints one JSON line per input, in order: {"question", "score" (0 to 1), '
        '"key_points" (each covered, missing or contradicted, with the sentence that decided it), '
        '"misconceptions"}. A line that cannot be scored prints {"line", "error"} instead.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, or - for standard input")

    def handle(self, *args, file, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        with stream:
            rows = []
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    rows.append((n, int(row["question"]), str(row["answer"])))
                except (ValueError, KeyError, TypeError):
                    rows.append((n, None, 'not {"question": <id>, "answer": "<text>"}'))
        questions = evaluation.load_questions(q for _, q, _ in rows if q is not None)
        for n, question_id, answer in rows:
            if question_id is None:
                out = {"line": n, "error": answer}
            elif question_id not in questions:
                out = {"line": n, "question": question_id, "error": "no such question"}
            else:
                question = questions[question_id]
                result = scoring.score_answer(
                    question, answer, key_points=question.key_points.all(), choices=question.choices.all()
                )
                out = {"question": question_id, **result.as_json()}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
