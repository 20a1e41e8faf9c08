"""The search index (questions.search): the documents and the vocabulary, then each database's own index.

PostgreSQL: a generated tsvector column on the documents (prompt A, key points B, answer C) with a GIN index, and
pg_trgm with a trigram index on the vocabulary for close words. SQLite: an FTS5 table over the documents (porter
stemming, bm25 ranking), kept in step by triggers. Other databases get neither and cannot search.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FORWARD = [
    """ALTER TABLE questions_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', prompt), 'A')
        || setweight(to_tsvector('english', key_points), 'B')
        || setweight(to_tsvector('english', answer), 'C')) STORED""",
    # The search's WHERE document @@ query.
    "CREATE INDEX questions_searchdocument_document_gin ON questions_searchdocument USING GIN (document)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Close words for a query with typos: similarity(word, typed) over the vocabulary.
    "CREATE INDEX questions_searchterm_word_trgm ON questions_searchterm USING GIN (word gin_trgm_ops)",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE questions_search_fts USING fts5(
        prompt, key_points, answer, content='questions_searchdocument', content_rowid='question_id',
        tokenize='porter unicode61')""",
    """CREATE TRIGGER questions_search_fts_insert AFTER INSERT ON questions_searchdocument BEGIN
        INSERT INTO questions_search_fts(rowid, prompt, key_points, answer)
        VALUES (new.question_id, new.prompt, new.key_points, new.answer);
    END""",
    """CREATE TRIGGER questions_search_fts_delete AFTER DELETE ON questions_searchdocument BEGIN
        INSERT INTO questions_search_fts(questions_search_fts, rowid, prompt, key_points, answer)
        VALUES ('delete', old.question_id, old.prompt, old.key_points, old.answer);
    END""",
    """CREATE TRIGGER questions_search_fts_update AFTER UPDATE ON questions_searchdocument BEGIN
        INSERT INTO questions_search_fts(questions_search_fts, rowid, prompt, key_points, answer)
        VALUES ('delete', old.question_id, old.prompt, old.key_points, old.answer);
        INSERT INTO questions_search_fts(rowid, prompt, key_points, answer)
        VALUES (new.question_id, new.prompt, new.key_points, new.answer);
    END""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS questions_searchterm_word_trgm",
    "ALTER TABLE questions_searchdocument DROP COLUMN IF EXISTS document",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS questions_search_fts_update",
    "DROP TRIGGER IF EXISTS questions_search_fts_delete",
    "DROP TRIGGER IF EXISTS questions_search_fts_insert",
    "DROP TABLE IF EXISTS questions_search_fts",
]


def _run(schema_editor, statements: dict) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create_index(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD})


def drop_index(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD})


def index_existing_questions(apps, schema_editor):
    """Documents for the questions already there (historical models: later migrations may change the live ones)."""
    from questions.search import document_text, key_point_text, vocabulary

    Question = apps.get_model("questions", "Question")
    SearchDocument = apps.get_model("questions", "SearchDocument")
    SearchTerm = apps.get_model("questions", "SearchTerm")
    words = set()
    for question in Question.objects.prefetch_related("key_points"):
        points = key_point_text(question.key_points.all())
        SearchDocument.objects.create(
            question_id=question.pk,
            prompt=document_text(question.prompt),
            key_points=document_text(points),
            answer=document_text(question.answer),
        )
        words |= vocabulary(question.prompt, points, question.answer)
    SearchTerm.objects.bulk_create([SearchTerm(word=w) for w in sorted(words)])


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "question",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="questions.question",
                    ),
                ),
                ("prompt", models.TextField()),
                ("key_points", models.TextField()),
                ("answer", models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("word",), name="questions_searchterm_word_unique")],
            },
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(index_existing_questions, migrations.RunPython.noop),
    ]
