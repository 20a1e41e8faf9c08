import pytest


@pytest.mark.django_db
def test_landing_page_for_visitors_offers_sign_up(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Walk into your ML interview ready." in html
    assert 'href="/accounts/signup/"' in html
    assert "<main" in html and "Skip to main content" in html


def test_logged_in_candidate_gets_the_dashboard_not_the_landing_page(alice_client):
    response = alice_client.get("/")
    html = response.content.decode()
    assert "Welcome to InterviewPrep, alice" in html
    assert "Walk into your ML interview ready." not in html


def test_logged_in_candidate_is_redirected_from_login_and_signup(alice_client):
    assert alice_client.get("/accounts/login/").url == "/"
    assert alice_client.get("/accounts/signup/").url == "/"


def test_no_cdn_in_pages(client, db):
    html = client.get("/").content.decode()
    assert "cdn." not in html and "//unpkg" not in html and "googleapis" not in html
