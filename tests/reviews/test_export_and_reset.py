"""The Anki deck (read back with zipfile and sqlite3), the review log CSV, and resetting the schedule."""

import csv
import io
import sqlite3
import zipfile

import time_machine

from practice import services as practice
from practice.models import Attempt
from reviews import services
from reviews.models import Card, QuestionNote, Rating, ReviewLog

from .conftest import NOW


def read_deck(content: bytes, tmp_path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        path = tmp_path / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    finally:
        connection.close()


def test_the_bookmarked_questions_export_as_an_anki_deck_that_opens(alice_client, alice, bob, questions, tmp_path):
    services.bookmark_set(user=alice, question=questions[0], starred=True, now=NOW)
    services.bookmark_set(user=alice, question=questions[2], starred=True, now=NOW)
    services.bookmark_set(user=bob, question=questions[4], starred=True, now=NOW)
    response = alice_client.get("/review/export.apkg?which=bookmarked")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="interviewprep-bookmarked.apkg"'
    notes = read_deck(response.content, tmp_path)
    assert len(notes) == 2
    front, back, difficulty = notes[0][1].split("\x1f")
    assert front == questions[0].prompt
    assert "gradients and layers" in back and "Mentions gradients" in back and difficulty == "Basic"
    assert notes[0][2].strip() == "fundamentals"
    # The same question always has the same guid, so a newer export updates the notes in Anki.
    again = read_deck(alice_client.get("/review/export.apkg?which=bookmarked").content, tmp_path)
    assert [n[0] for n in again] == [n[0] for n in notes]


def test_all_questions_export_and_a_bad_choice_is_a_message(alice_client, alice, questions, tmp_path):
    assert len(read_deck(alice_client.get("/review/export.apkg?which=all").content, tmp_path)) == 6
    response = alice_client.get("/review/export.apkg?which=everything", follow=True)
    assert "Export your bookmarked questions or all questions." in response.content.decode()
    response = alice_client.get("/review/export.apkg?which=bookmarked", follow=True)
    assert "You have no bookmarked questions yet" in response.content.decode()


def test_the_review_log_exports_as_csv_with_only_the_candidates_rows(alice_client, alice, bob, questions):
    questions[0].prompt = "Costs; =HYPERLINK(1)"
    questions[0].save()
    with time_machine.travel(NOW, tick=False):
        services.card_review(user=alice, question=questions[0], rating=Rating.GOOD, now=NOW)
        services.card_review(user=alice, question=questions[1], rating=Rating.AGAIN, now=NOW)
        services.card_review(user=bob, question=questions[1], rating=Rating.EASY, now=NOW)
    response = alice_client.get("/review/log.csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [(r["question_id"], r["rating"], r["source"]) for r in rows] == [
        (str(questions[0].pk), "Good", "review"),
        (str(questions[1].pk), "Again", "review"),
    ]
    assert rows[0]["prompt"] == "'Costs; =HYPERLINK(1)"


def test_resetting_the_schedule_keeps_attempts_notes_and_bookmarks(alice_client, alice, questions):
    attempt = practice.quiz_start(user=alice, tags=[], difficulty="any", question_count=2, feedback_mode="end", now=NOW)
    item = attempt.items.first()
    practice.quiz_answer(
        user=attempt.user,
        attempt_id=attempt.pk,
        position=item.position,
        choice_id=item.question.choices.first().pk,
        now=NOW,
    )
    services.note_save(user=alice, question=questions[0], text="Keep me.", now=NOW)
    services.bookmark_set(user=alice, question=questions[0], starred=True, now=NOW)
    assert Card.objects.filter(user=alice).exists()
    response = alice_client.post("/review/reset/", {}, follow=True)
    assert "Nothing was reset." in response.content.decode() and Card.objects.exists()
    response = alice_client.post("/review/reset/", {"confirm": "yes"}, follow=True)
    assert "Your review schedule is reset: 1 card removed." in response.content.decode()
    assert not Card.objects.exists() and not ReviewLog.objects.exists()
    assert Attempt.objects.filter(user=alice).exists()
    assert QuestionNote.objects.get(user=alice).text == "Keep me."
