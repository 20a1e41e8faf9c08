from django.core.management.base import BaseCommand, CommandError

from practice import evaluation


class Command(BaseCommand):
    help = (
        "Measure the automatic interview hint on a graded set (JSON Lines of question, grade, answer): pairwise "
        "order strong > partial > wrong, how often a wrong answer scores at least as high as the partial one, "
        "off-topic below partial, Spearman's rho against the grades, and the same for each signal alone and for "
        "the scorer without each one. --negations adds the share of true/negated sentence pairs ordered right."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="graded answers, JSON Lines")
        parser.add_argument("--negations", help="pairs of a true sentence and its negation, JSON Lines")
        parser.add_argument("--only", action="store_true", help="the scorer alone, no ablations")

    def handle(self, *args, file, negations=None, only=False, **options):
        try:
            rows = evaluation.read_jsonl(file)
            pairs = evaluation.read_jsonl(negations) if negations else []
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the graded set: {exc}") from None
        questions = evaluation.load_questions(r["question"] for r in rows + pairs)
        missing = {r["question"] for r in rows + pairs} - set(questions)
        if missing:
            raise CommandError(f"questions not in the bank: {sorted(missing)}")
        scorers = evaluation.variants()
        if only:
            scorers = {name: s for name, s in scorers.items() if name == "all signals (the scorer)"}
        head = "| signal | pairwise order | wrong >= partial | wrong (long) >= partial | off-topic < partial | rho |"
        if pairs:
            head += " negations |"
        self.stdout.write(head)
        self.stdout.write("| --- |" + " ---: |" * (head.count("|") - 2))
        for name, scorer in scorers.items():
            figures = evaluation.evaluate(rows, scorer, questions)
            line = f"| {name} | {figures.row()} |"
            if pairs:
                line += f" {evaluation.negation_accuracy(pairs, scorer, questions):.0%} |"
            self.stdout.write(line)
        self.stdout.write(f"{figures.questions} questions, {len(rows)} answers, {len(pairs) // 2} negation pairs.")
