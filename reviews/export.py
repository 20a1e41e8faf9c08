"""The candidate's questions as an Anki deck (.apkg, written with genanki) and their review log as CSV."""

import csv
import io
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator

import genanki
from django.template.loader import render_to_string
from django.utils.html import escape

from questions.markdown import render_markdown
from questions.models import Question

from .models import ReviewLog

# Fixed ids, chosen once at random as genanki asks: Anki recognises the note type and the deck on every import,
# and each note's guid comes from the question's id, so importing a newer export updates the notes in place.
MODEL_ID = 1_607_392_319
DECK_IDS = {"bookmarked": 2_059_400_110, "all": 2_059_400_111}

ANKI_MODEL = genanki.Model(
    MODEL_ID,
    "InterviewPrep question",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Difficulty"}],
    templates=[
        {
            "name": "Recall",
            "qfmt": "<div class='prompt'>{{Question}}</div>",
            "afmt": "{{FrontSide}}<hr id='answer'>{{Answer}}<p class='difficulty'>{{Difficulty}}</p>",
        }
    ],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; } .prompt { font-weight: bold; }",
)


def _note(question: Question) -> genanki.Note:
    answer = render_to_string(
        "reviews/anki_answer.html",
        {"answer_html": render_markdown(question.answer), "key_points": list(question.key_points.all())},
    )
    return genanki.Note(
        model=ANKI_MODEL,
        fields=[escape(question.prompt), answer, question.get_difficulty_display()],
        guid=genanki.guid_for("interviewprep", question.pk),
        tags=[tag.slug for tag in question.tags.all()],
    )


def anki_package(questions: list[Question], *, which: str) -> bytes:
    """The .apkg file's bytes. genanki's own write_to_file leaves its temporary database behind: this writes
    the same package through its write_to_db into a temporary file that is always removed."""
    deck = genanki.Deck(DECK_IDS[which], "InterviewPrep" if which == "all" else "InterviewPrep: bookmarked")
    for question in questions:
        deck.add_note(_note(question))
    package = genanki.Package(deck)
    handle, path = tempfile.mkstemp(suffix=".anki2")
    os.close(handle)
    try:
        connection = sqlite3.connect(path)
        try:
            timestamp = time.time()
            package.write_to_db(connection.cursor(), timestamp, _ids(timestamp))
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
        return buffer.getvalue()
    finally:
        os.remove(path)


def _ids(timestamp: float) -> Iterator[int]:
    n = int(timestamp * 1000)
    while True:
        yield n
        n += 1


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = ["reviewed_at", "question_id", "prompt", "rating", "source", "state_before", "next_due", "stability"]


# The history export's rule (practice.export, which this app must not import): a formula character at the start
# of the text after any blanks, or at the start of a `,` or `;` separated part of it (OWASP's CSV injection advice).
_FORMULA = re.compile(r"(?:^|[,;])\s*[=+\-@]|^[\t\r\n]")


def _safe(text: str) -> str:
    """Spreadsheets run such cells as formulas: a leading quote neutralises them."""
    return "'" + text if _FORMULA.search(text) else text


def review_log_rows(user) -> Iterator[str]:
    """The candidate's review log, oldest first, streamed (a UTF-8 BOM first, for spreadsheets)."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)  # a separator inside a value stays in its cell
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    logs = (
        ReviewLog.objects.filter(user=user)
        .select_related("question")
        .only("reviewed_at", "rating", "source", "state_before", "due_after", "stability_after", "question__prompt")
        .order_by("reviewed_at", "id")
    )
    for log in logs.iterator(chunk_size=500):
        yield writer.writerow(
            [
                log.reviewed_at.isoformat(),
                log.question_id,
                _safe(log.question.prompt),
                log.get_rating_display(),
                log.source,
                log.get_state_before_display(),
                log.due_after.isoformat(),
                round(log.stability_after, 3),
            ]
        )
