"""The question bank as data: validation, export and import in Django's fixture format.

The fixture format is the one `manage.py loaddata` reads (a JSON list of {"model", "pk", "fields"}), so a
file exported from the admin can be shipped in `fixtures/` and an edited fixture can be imported back.
"""

import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core import serializers
from django.core.serializers.base import DeserializationError
from django.db import transaction

from .markdown import markdown_problems
from .models import Choice, Difficulty, KeyPoint, Question, Source, Tag

BANK_MODELS = [Tag, Source, Question, Choice, KeyPoint]  # dependency order
MODEL_LABELS = [m._meta.label_lower for m in BANK_MODELS]
MIN_ANSWER_WORDS = 80
MAX_ANSWER_WORDS = 250
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-]*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def normalised_prompt(prompt: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", prompt.lower()))


# The limits of the multiple-choice figures (issue 16): length and wording must not give the answer away.
MAX_LONGEST_CORRECT_SHARE = 0.30
MAX_ABSOLUTE_RATE_GAP = 0.10
ABSOLUTE_WORDS = (
    "always",
    "never",
    "only",
    "exactly",
    "all",
    "none",
    "every",
    "must",
    "cannot",
    "impossible",
    "guarantees",
    "guaranteed",
    "completely",
    "entirely",
)
_ABSOLUTE = re.compile(r"\b(?:" + "|".join(ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)


@dataclass
class BankChoice:
    text: str
    is_correct: bool
    explanation: str = ""


@dataclass
class BankQuestion:
    """What the validator needs to know about one question, from the database or from a file."""

    ref: str
    prompt: str
    answer: str
    difficulty: str
    tag_count: int
    choices: list[BankChoice] = field(default_factory=list)
    key_points: list[list[str]] = field(default_factory=list)  # keywords of each key point


def answer_problem(answer: str) -> str | None:
    """The rule on a model answer's length, shared by the validator and the admin's question form."""
    words = word_count(answer)
    if not MIN_ANSWER_WORDS <= words <= MAX_ANSWER_WORDS:
        return f"the model answer has {words} words; it needs {MIN_ANSWER_WORDS} to {MAX_ANSWER_WORDS}"
    return None


def validate_questions(questions: list[BankQuestion]) -> list[str]:
    """One line per problem, naming the question."""
    problems = []
    prompts = Counter(normalised_prompt(q.prompt) for q in questions)
    for q in questions:

        def bad(message: str, q=q) -> None:
            problems.append(f"{q.ref}: {message}")

        if not q.prompt.strip():
            bad("the prompt is empty")
        elif prompts[normalised_prompt(q.prompt)] > 1:
            bad(f"duplicate prompt {q.prompt!r}")
        if problem := answer_problem(q.answer):
            bad(problem)
        if q.difficulty not in Difficulty.values:
            bad(f"difficulty {q.difficulty!r} is not one of {', '.join(Difficulty.values)}")
        if q.tag_count == 0:
            bad("it has no tag")
        if len(q.choices) != 4:
            bad(f"it has {len(q.choices)} choices; it needs exactly 4")
        correct = sum(c.is_correct for c in q.choices)
        if correct != 1:
            bad(f"it has {correct} correct choices; it needs exactly 1")
        if len(q.key_points) < 2:
            bad(f"it has {len(q.key_points)} key point{'s' if len(q.key_points) != 1 else ''}; it needs at least 2")
        for n, keywords in enumerate(q.key_points, 1):
            if not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
                bad(f"key point {n} has no keywords (or an empty one)")
    return problems


def rendering_problems(questions: list[BankQuestion]) -> list[str]:
    """What would render badly: list markers left in a paragraph, an unbalanced $, maths that does not convert,
    raw HTML, code without a known language. One line per problem, naming the question and the field."""
    problems = []
    for q in questions:
        fields = [("the model answer", q.answer)]
        for n, choice in enumerate(q.choices, 1):
            fields += [(f"choice {n}", choice.text), (f"the explanation of choice {n}", choice.explanation)]
        for label, text in fields:
            problems.extend(f"{q.ref}: {label}: {problem}" for problem in markdown_problems(text))
    return problems


def mcq_figures(questions: list[BankQuestion]) -> dict:
    """How much the choices' length and wording give away, over the questions with one correct choice.

    - longest_correct_share: the fraction of questions whose correct choice is at least as long (in characters)
      as every wrong choice (ties count as longest);
    - absolute_rate_correct / absolute_rate_wrong: the fraction of correct / wrong choices holding an absolute
      word (ABSOLUTE_WORDS, whole words, any case), and absolute_rate_gap, their difference;
    - length_ratio_median / length_ratio_max: per question, its longest choice's length over its shortest's.
    """
    scored = [q for q in questions if len(q.choices) >= 2 and sum(c.is_correct for c in q.choices) == 1]
    correct = [c for q in scored for c in q.choices if c.is_correct]
    wrong = [c for q in scored for c in q.choices if not c.is_correct]

    def correct_is_longest(q: BankQuestion) -> bool:
        right = next(len(c.text) for c in q.choices if c.is_correct)
        return right >= max(len(c.text) for c in q.choices if not c.is_correct)

    longest = sum(1 for q in scored if correct_is_longest(q))
    ratios = [max(len(c.text) for c in q.choices) / max(1, min(len(c.text) for c in q.choices)) for q in scored]

    def absolute_rate(choices: list[BankChoice]) -> float:
        return sum(1 for c in choices if _ABSOLUTE.search(c.text)) / len(choices) if choices else 0.0

    rate_correct, rate_wrong = absolute_rate(correct), absolute_rate(wrong)
    return {
        "questions": len(scored),
        "longest_correct_share": longest / len(scored) if scored else 0.0,
        "absolute_rate_correct": rate_correct,
        "absolute_rate_wrong": rate_wrong,
        "absolute_rate_gap": abs(rate_correct - rate_wrong),
        "length_ratio_median": statistics.median(ratios) if ratios else 0.0,
        "length_ratio_max": max(ratios, default=0.0),
    }


def mcq_figure_lines(figures: dict) -> list[str]:
    return [
        f"Multiple-choice figures over {figures['questions']} questions:",
        f"  correct choice the longest: {figures['longest_correct_share']:.1%} (limit {MAX_LONGEST_CORRECT_SHARE:.0%})",
        f"  absolute words: {figures['absolute_rate_correct']:.1%} of correct choices, "
        f"{figures['absolute_rate_wrong']:.1%} of wrong ones, a gap of {figures['absolute_rate_gap']:.1%} "
        f"(limit {MAX_ABSOLUTE_RATE_GAP:.0%})",
        f"  longest over shortest choice: median {figures['length_ratio_median']:.2f}, "
        f"maximum {figures['length_ratio_max']:.2f}",
    ]


def mcq_figure_problems(figures: dict) -> list[str]:
    problems = []
    if figures["longest_correct_share"] > MAX_LONGEST_CORRECT_SHARE:
        problems.append(
            f"the correct choice is the longest in {figures['longest_correct_share']:.1%} of questions; "
            f"at most {MAX_LONGEST_CORRECT_SHARE:.0%} are allowed"
        )
    if figures["absolute_rate_gap"] > MAX_ABSOLUTE_RATE_GAP:
        problems.append(
            f"absolute words are in {figures['absolute_rate_correct']:.1%} of correct choices and "
            f"{figures['absolute_rate_wrong']:.1%} of wrong ones; the rates may differ by at most "
            f"{MAX_ABSOLUTE_RATE_GAP:.0%}"
        )
    return problems


def questions_from_database() -> list[BankQuestion]:
    result = []
    for q in Question.objects.prefetch_related("choices", "key_points", "tags").order_by("id"):
        result.append(
            BankQuestion(
                ref=f"Question {q.pk} ({q.prompt[:60]})",
                prompt=q.prompt,
                answer=q.answer,
                difficulty=q.difficulty,
                tag_count=len(q.tags.all()),
                choices=[BankChoice(c.text, c.is_correct, c.explanation) for c in q.choices.all()],
                key_points=[kp.keywords for kp in q.key_points.all()],
            )
        )
    return result


def questions_from_records(records: list) -> tuple[list[BankQuestion], list[str]]:
    """Read fixture records (already parsed JSON); returns the questions and structural problems."""
    problems: list[str] = []
    if not isinstance(records, list):
        return [], ["the file is not a JSON list of fixture records"]
    by_model: dict[str, list[dict]] = defaultdict(list)
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict) or "model" not in record:
            problems.append(f"record {n}: not a fixture record with 'model', 'pk' and 'fields'")
            continue
        if record["model"] not in MODEL_LABELS:
            problems.append(f"record {n}: unknown model {record['model']!r}")
            continue
        by_model[record["model"]].append(record)
    tag_pks = {r.get("pk") for r in by_model["questions.tag"]}
    source_pks = {r.get("pk") for r in by_model["questions.source"]}
    questions: dict = {}
    for r in by_model["questions.question"]:
        f = r["fields"]
        ref = f"Question {r.get('pk')} ({str(f.get('prompt', ''))[:60]})"
        for pk in f.get("tags", []):
            if pk not in tag_pks:
                problems.append(f"{ref}: tag {pk} is not in the file")
        for pk in f.get("sources", []):
            if pk not in source_pks:
                problems.append(f"{ref}: source {pk} is not in the file")
        questions[r.get("pk")] = BankQuestion(
            ref=ref,
            prompt=str(f.get("prompt", "")),
            answer=str(f.get("answer", "")),
            difficulty=str(f.get("difficulty", "")),
            tag_count=len(f.get("tags", [])),
        )
    for label, attr in (("questions.choice", "choices"), ("questions.keypoint", "key_points")):
        for r in by_model[label]:
            q = questions.get(r["fields"].get("question"))
            if q is None:
                problems.append(f"{label} {r.get('pk')}: its question {r['fields'].get('question')} is not in the file")
            elif attr == "choices":
                fields = r["fields"]
                q.choices.append(
                    BankChoice(
                        str(fields.get("text", "")), bool(fields.get("is_correct")), str(fields.get("explanation", ""))
                    )
                )
            else:
                keywords = r["fields"].get("keywords")
                q.key_points.append(keywords if isinstance(keywords, list) else [])
    return list(questions.values()), problems


def export_bank() -> str:
    """The whole bank as fixture JSON, in dependency order."""
    objects = []
    for model in BANK_MODELS:
        objects.extend(model.objects.order_by("pk"))
    return serializers.serialize("json", objects, indent=1, ensure_ascii=False)


class BankImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:5]))


MAX_IMPORT_BYTES = 10 * 1024 * 1024  # the shipped bank is 0.6 MB
# A bank file is a list of records, each with a dict of fields whose values are at most lists of scalars.
MAX_IMPORT_DEPTH = 4


def _nesting_depth(value, limit: int) -> int:
    """How deep lists and dicts nest in parsed JSON, counted without recursion and only up to limit + 1."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, list | dict):
            continue
        deepest = max(deepest, depth)
        if depth > limit:
            break
        stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def import_bank(text: str | bytes) -> dict[str, int]:
    """Create or update every record of the file, in one transaction: all of it or nothing.

    Records are matched by primary key, as `loaddata` does. Raises BankImportError naming each bad row, and each
    field that would render badly (the multiple-choice figures are validate_bank's, not a reason to refuse a file).
    """
    if len(text) > MAX_IMPORT_BYTES:
        raise BankImportError([f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"])
    try:
        records = json.loads(text)
    except RecursionError:
        raise BankImportError(["the file nests lists or objects too deeply to be a bank file"]) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BankImportError([f"the file is not valid JSON: {exc}"]) from None
    if _nesting_depth(records, MAX_IMPORT_DEPTH) > MAX_IMPORT_DEPTH:
        raise BankImportError(["the file nests lists or objects too deeply to be a bank file"])
    questions, problems = questions_from_records(records)
    problems += validate_questions(questions) + rendering_problems(questions)
    if problems:
        raise BankImportError(problems)
    counts: Counter = Counter()
    try:
        with transaction.atomic():
            for n, obj in enumerate(serializers.deserialize("json", json.dumps(records)), 1):
                try:
                    obj.object.full_clean(validate_unique=False, validate_constraints=False)
                    with transaction.atomic():
                        obj.save()
                except Exception as exc:  # every failure becomes a message naming the row
                    label = f"record {n} ({obj.object._meta.label_lower} {obj.object.pk})"
                    raise BankImportError([f"{label}: {exc}"]) from None
                counts[obj.object._meta.verbose_name_plural] += 1
            _check_constraints_after_import()
    except DeserializationError as exc:
        raise BankImportError([f"the file could not be read as fixtures: {exc}"]) from None
    return dict(counts)


def _check_constraints_after_import() -> None:
    problems = validate_questions(questions_from_database())
    if problems:
        raise BankImportError(["after import, the bank would be invalid:", *problems])
