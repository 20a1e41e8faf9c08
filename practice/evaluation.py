"""How well the automatic hint orders answers: the figures of `manage.py evaluate_scorer` and docs/scoring.md.

A graded set is JSON Lines of {"question", "grade", "answer"} with grades strong, partial, wrong (right words,
wrong facts), wrong_long (the same, as long as the strong answer) and off_topic; a negation set has pairs of
{"pair", "question", "polarity": "true" | "false", "answer"}.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from questions.models import Question

from . import scoring
from .keypoints import covered_points

GRADES = {"strong": 3, "partial": 2, "wrong": 1, "wrong_long": 1, "off_topic": 0}
# The orders that must hold (ties count as wrong): each pair is (better, worse).
ORDERS = [("strong", "partial"), ("partial", "wrong"), ("strong", "wrong"), ("strong", "wrong_long")]


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_questions(ids: Iterable[int]) -> dict[int, Question]:
    found = Question.objects.filter(pk__in=set(ids)).prefetch_related("key_points", "choices")
    return {q.pk: q for q in found}


Scorer = Callable[[Question, str], float]


def variants() -> dict[str, Scorer]:
    """The scorer and its ablations: each signal alone, and the whole without each one."""

    def with_params(**params) -> Scorer:
        def score(question, text):
            return scoring.score_answer(
                question, text, key_points=question.key_points.all(), choices=question.choices.all(), params=params
            ).score

        return score

    def old_keywords(question, text):
        points = list(question.key_points.all())
        return len(covered_points(text, points)) / len(points) if points else 0.0

    only = {"keyword_weight": 0, "similarity_weight": 0, "answer_weight": 0, "misconception_penalty": 0}
    return {
        "old keyword coverage (before)": old_keywords,
        "keywords with negation": with_params(**{**only, "keyword_weight": 1}),
        "similarity to key points": with_params(**{**only, "similarity_weight": 1}),
        "similarity to the model answer": with_params(**{**only, "answer_weight": 1}),
        "all similarity, no keywords": with_params(keyword_weight=0, misconception_penalty=0),
        "all but misconceptions": with_params(misconception_penalty=0),
        "all but keywords": with_params(keyword_weight=0),
        "all but model-answer similarity": with_params(answer_weight=0),
        "all signals (the scorer)": with_params(),
    }


@dataclass
class Figures:
    pairwise: float  # share of ORDERS pairs in the right order
    wrong_at_least_partial: float  # share of questions where the wrong answer scores >= the partial one
    wrong_long_at_least_partial: float
    off_topic_below_partial: float  # share of questions where off-topic < partial
    spearman: float
    questions: int

    def row(self) -> str:
        return (
            f"{self.pairwise:.2f} | {self.wrong_at_least_partial:.0%} | {self.wrong_long_at_least_partial:.0%} | "
            f"{self.off_topic_below_partial:.0%} | {self.spearman:.2f}"
        )


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x: list[float], y: list[float]) -> float:
    rx, ry = _ranks(x), _ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / var if var else 0.0


def evaluate(rows: list[dict], scorer: Scorer, questions: dict[int, Question]) -> Figures:
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    for row in rows:
        scores[row["question"]][row["grade"]] = scorer(questions[row["question"]], row["answer"])
    right = total = 0
    for by_grade in scores.values():
        for better, worse in ORDERS:
            if better in by_grade and worse in by_grade:
                total += 1
                right += by_grade[better] > by_grade[worse]
    n = len(scores)

    def share(test) -> float:
        return sum(1 for g in scores.values() if test(g)) / n if n else 0.0

    xs = [s for g in scores.values() for s in g.values()]
    ys = [GRADES[grade] for g in scores.values() for grade in g]
    return Figures(
        pairwise=right / total if total else 0.0,
        wrong_at_least_partial=share(lambda g: g.get("wrong", 0) >= g.get("partial", 1)),
        wrong_long_at_least_partial=share(lambda g: g.get("wrong_long", 0) >= g.get("partial", 1)),
        off_topic_below_partial=share(lambda g: g.get("off_topic", 0) < g.get("partial", 1)),
        spearman=spearman(xs, ys),
        questions=n,
    )


def negation_accuracy(pairs: list[dict], scorer: Scorer, questions: dict[int, Question]) -> float:
    """Share of pairs in which the true statement scores above its negation."""
    by_pair: dict[int, dict[str, float]] = defaultdict(dict)
    for row in pairs:
        by_pair[row["pair"]][row["polarity"]] = scorer(questions[row["question"]], row["answer"])
    ok = [p["true"] > p["false"] for p in by_pair.values() if "true" in p and "false" in p]
    return sum(ok) / len(ok) if ok else 0.0
