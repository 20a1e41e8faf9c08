from datetime import UTC, datetime

import pytest

from tests.factories import QuestionFactory, TagFactory

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def questions(db):
    tag = TagFactory(slug="fundamentals", name="Fundamentals")
    return [QuestionFactory(tags=[tag]) for _ in range(6)]
