from django.db.models import QuerySet

from . import search
from .models import Question


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
