"""Errors of grouped radio and checkbox fields are linked to their group, as text fields' errors are."""

import re


def test_a_radio_group_error_is_linked_with_aria_describedby(alice_client, db):
    response = alice_client.post("/quizzes/new/", {"difficulty": "impossible", "custom_length": "5"})
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<fieldset class="mb-3" aria-describedby="id_difficulty_error">', html)
    assert re.search(r'id="id_difficulty_error">.*Select a valid choice', html, re.S)


def test_a_topics_error_is_linked_with_its_help(alice_client, db):
    html = alice_client.post("/quizzes/new/", {"tags": ["no-such"], "custom_length": "5"}).content.decode()
    assert 'aria-describedby="id_tags_help id_tags_error"' in html
    assert re.search(r'id="id_tags_error">.*does not exist', html, re.S)
