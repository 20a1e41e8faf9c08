from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

from .models import Question

SEARCH_CONFIG = "english"


def question_search(queryset: QuerySet[Question], *, text: str) -> QuerySet[Question]:
    """Full-text search over prompt and answer, best match first.

    PostgreSQL ranks with its full-text engine (the prompt weighs more than the answer); other databases
    fall back to a case-insensitive substring match in the bank's own order.
    """
    if connection.vendor == "postgresql":
        vector = SearchVector("prompt", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "answer", weight="B", config=SEARCH_CONFIG
        )
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by(F("rank").desc(), "id")
        )
    return queryset.filter(Q(prompt__icontains=text) | Q(answer__icontains=text))


def filtered_questions(*, tag: str = "", difficulty: str = "", q: str = "") -> QuerySet[Question]:
    questions = Question.objects.published()
    if tag:
        questions = questions.filter(tags__slug=tag)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    if q:
        questions = question_search(questions, text=q)
    return questions
