from typing import NamedTuple

from django.db.models import QuerySet

from . import cache, search
from .models import Choice, Question


class QuizChoice(NamedTuple):
    pk: int
    text: str
    is_correct: bool
    explanation: str


class QuizQuestion(NamedTuple):
    """What a quiz page shows of a question: its prompt and its choices by id (shared cache values: read only;
    plain tuples, which cost a tenth of model instances to read back from the cache)."""

    prompt: str
    choices: dict[int, QuizChoice]


def filtered_questions(*, tag: str = "", difficulty: str = "") -> QuerySet[Question]:
    """Published questions of a topic and difficulty, in the bank's order."""
    questions = Question.objects.published()
    if tag:
        questions = questions.filter(tags__slug=tag)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    return questions


def search_questions(*, q: str, tag: str = "", difficulty: str = "", exact: bool = False) -> search.SearchResults:
    """The published questions matching a query within the filters, best first (questions.search).

    With exact, the typed words are searched as they are: no close words, no partial matches.
    """
    return search.search(filtered_questions(tag=tag, difficulty=difficulty), q, correct=not exact)


def question_ids(*, tag: str = "", difficulty: str = "", q: str = "", exact: bool = False) -> list[int]:
    """The ids of a filtered (and searched) list, in its order: previous and next on a question page."""
    if q:
        return [
            question.pk for question in search_questions(q=q, tag=tag, difficulty=difficulty, exact=exact).questions
        ]
    return list(filtered_questions(tag=tag, difficulty=difficulty).values_list("id", flat=True))


def quiz_questions(question_ids: list[int]) -> dict[int, QuizQuestion]:
    """Prompts and choices of these questions, from the bank cache; the missing ones in one query."""

    def load(ids: list[int]) -> dict[int, QuizQuestion]:
        found: dict[int, QuizQuestion] = {}
        rows = (
            Choice.objects.filter(question_id__in=ids)
            .select_related("question")
            .only("question_id", "question__prompt", "text", "explanation", "is_correct")
        )
        for choice in rows:
            entry = found.setdefault(choice.question_id, QuizQuestion(choice.question.prompt, {}))
            entry.choices[choice.pk] = choice
        return found

    return cache.cached_by_id("quiz-question", question_ids, load)
