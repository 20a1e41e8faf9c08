"""The statements PostgreSQL receives for one quiz answer, counted on the wire.

Django's own query capture misses what psycopg2 sends by itself (BEGIN, COMMIT, the health check's SELECT 1), so
the test connects through a small proxy that reads the client's protocol messages and keeps every simple query
('Q') and every prepared one ('P').
"""

import socket
import struct
import threading

import pytest
from django.db import connection
from django.test import Client

from practice.models import Answer, Attempt
from tests.factories import QuestionFactory, TagFactory, quiz_of

from .test_quiz import correct_choice_id, current_item

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="counts what PostgreSQL receives")


class StatementProxy:
    """Forwards one client's connections to PostgreSQL and records the statements it sends."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.statements: list[str] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
            threading.Thread(target=self._client, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    @staticmethod
    def _read(sock, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                raise OSError("closed")
            data += chunk
        return data

    def _client(self, client, upstream):
        try:
            # The startup message has no type byte; then every message is a type, a length and a body.
            length = struct.unpack("!I", self._read(client, 4))[0]
            upstream.sendall(struct.pack("!I", length) + self._read(client, length - 4))
            while True:
                kind = self._read(client, 1)
                raw_length = self._read(client, 4)
                body = self._read(client, struct.unpack("!I", raw_length)[0] - 4)
                if kind == b"Q":
                    self.statements.append(body.rstrip(b"\0").decode())
                elif kind == b"P":
                    self.statements.append(body.split(b"\0")[1].decode())
                upstream.sendall(kind + raw_length + body)
        except OSError:
            pass
        finally:
            upstream.close()

    def close(self):
        self.server.close()


@pytest.fixture
def proxied(transactional_db):
    """Django's connection through the proxy, outside any test transaction (BEGIN and COMMIT are real)."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("HOST", "PORT", "OPTIONS")}
    proxy = StatementProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    connection.close()
    settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port), OPTIONS={**saved["OPTIONS"], "sslmode": "disable"})
    try:
        yield proxy
    finally:
        connection.close()
        settings_dict.update(saved)
        proxy.close()


def _request(proxy, send):
    """One request as gunicorn serves it: Django checks the reused connection first (CONN_HEALTH_CHECKS)."""
    connection.health_check_done = False
    proxy.statements.clear()
    response = send()
    return response, list(proxy.statements)


def _answer_counted(proxied, settings, user, size: int, *, warm: bool):
    """A quiz of `size` new questions and its first answer as the page's script posts it, counted on the wire.

    The worst case: sessions in the database and no bank cache (production without Redis). With `warm`, the quiz
    page is shown first (and the connection set up) before the count."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.BANK_CACHE = False
    tag = TagFactory(slug="cnn", name="CNN")
    attempt = quiz_of(user, [QuestionFactory(tags=[tag]).pk for _ in range(size)])
    client = Client()
    client.force_login(user)
    if warm:
        client.get(f"/quizzes/{attempt.pk}/")
    item = current_item(attempt)
    data = {"position": item.position, "choice": correct_choice_id(item)}
    response, statements = _request(
        proxied, lambda: client.post(f"/quizzes/{attempt.pk}/", data, headers={"X-Quiz-Fragment": "1"})
    )
    return attempt, item, response, statements


@pytest.mark.django_db(transaction=True)
def test_an_answer_costs_at_most_eight_statements(proxied, settings, alice):
    _attempt, item, response, statements = _answer_counted(proxied, settings, alice, 3, warm=True)
    assert response.status_code == 200
    assert Answer.objects.filter(item=item).exists()
    listing = "\n".join(statements)
    assert len(statements) == 8, listing
    assert statements[0] == "SELECT 1"  # the health check of the reused connection
    assert "django_session" in statements[1]  # the session
    assert "accounts_user" in statements[2]  # the user
    assert statements[3] == "BEGIN"
    assert "FOR UPDATE OF" in statements[4]  # the quiz, its items, answers and cards, the attempt locked
    assert "questions_choice" in statements[5]  # this question's and the next one's choices (the bank cache's)
    assert statements[6].startswith("WITH answer AS (INSERT")  # every write, one statement
    assert statements[7] == "COMMIT"


@pytest.mark.django_db(transaction=True)
def test_the_last_answer_finishes_in_the_same_statements(proxied, settings, alice):
    attempt, _item, response, statements = _answer_counted(proxied, settings, alice, 1, warm=False)
    assert response.status_code == 204
    assert len(statements) == 8, "\n".join(statements)
    assert 'UPDATE "practice_attempt"' in statements[6]
    assert Attempt.objects.get(pk=attempt.pk).score == 100
