"""The question form's live preview: a staff-only view rendering the form's answer and choices."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import QuestionFactory, UserFactory

URL = "/admin/questions/question/preview/"


def form_data(**changes) -> dict:
    data = {
        "answer": "How it works:\n- The encoder maps $x$ to $z$.\n- The decoder maps $z$ back.",
        "choices-TOTAL_FORMS": "4",
        "choices-INITIAL_FORMS": "4",
    }
    for n in range(4):
        data[f"choices-{n}-text"] = f"Choice {n + 1} with $\\sqrt{{d_k}}$"
        data[f"choices-{n}-explanation"] = f"Why choice {n + 1} is {'right' if n == 0 else 'wrong'}."
    data["choices-0-is_correct"] = "on"
    data.update(changes)
    return data


def test_staff_see_the_answer_and_every_choice_rendered(staff_client):
    response = staff_client.post(URL, form_data())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<ul>\n<li>The encoder maps <math" in html
    assert html.count("<msqrt>") == 4
    assert "✓ Correct:" in html and html.count("✗ Wrong:") == 3
    for n in range(1, 5):
        assert f"Why choice {n} is" in html
    assert "errorlist" not in html


def test_the_preview_names_what_validate_bank_would_refuse(staff_client):
    data = form_data(answer="Steps:\n2. two\n3. three", **{"choices-2-explanation": "It costs $5."})
    html = staff_client.post(URL, data).content.decode()
    assert "a paragraph holds the list marker of &#x27;2. two&#x27;" in html
    assert "explanation: an unbalanced $" in html


def test_deleted_choices_are_left_out_and_a_bad_count_is_harmless(staff_client):
    html = staff_client.post(URL, form_data(**{"choices-3-DELETE": "on"})).content.decode()
    assert "Why choice 4" not in html and "Why choice 3" in html
    for count in ("nonsense", "-3", "100000"):
        response = staff_client.post(URL, form_data(**{"choices-TOTAL_FORMS": count}))
        assert response.status_code == 200


def test_the_preview_escapes_raw_html_and_hostile_maths(staff_client):
    data = form_data(
        answer='<script>alert(1)</script> $a</math><script>alert(2)</script>$ <img src=x onerror="alert(3)">',
        **{"choices-1-text": "<b onclick='x'>bold</b>", "choices-1-explanation": r"$\href{javascript:alert(4)}{x}$"},
    )
    html = staff_client.post(URL, data).content.decode()
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert not re.search(r"<[^>]*\s(on\w+|href|style)=", html.replace('href="https://', "")), html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_candidates_and_visitors_get_404(client, alice_client):
    assert client.post(URL, form_data()).status_code == 404
    assert alice_client.post(URL, form_data()).status_code == 404
    assert alice_client.get(URL).status_code == 404


def test_staff_without_the_permission_to_edit_questions_get_403(db):
    editor = UserFactory(is_staff=True)
    client = Client()
    client.force_login(editor)
    assert client.post(URL, form_data()).status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="change_question"))
    assert client.post(URL, form_data()).status_code == 200


def test_the_preview_is_post_only_with_a_csrf_token(charlie, staff_client):
    assert staff_client.get(URL).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(charlie)
    assert strict.post(URL, form_data()).status_code == 403


@pytest.mark.parametrize("page", ["add", "change"])
def test_the_question_form_has_the_preview_pane_and_its_files(staff_client, page):
    url = (
        "/admin/questions/question/add/"
        if page == "add"
        else f"/admin/questions/question/{QuestionFactory().pk}/change/"
    )
    html = staff_client.get(url).content.decode()
    assert 'id="render-preview-module" hidden' in html and f'data-url="{URL}"' in html
    assert "js/admin_preview.js" in html and "css/rendered.css" in html
