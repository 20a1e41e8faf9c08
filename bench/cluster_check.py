"""Scale-out check: a session, a quiz and an interview started on one instance continue on the other."""

import http.client
import re
import urllib.parse


class Browser:
    """A tiny cookie-keeping client that talks to a given port (cookies are shared across ports)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, data: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            token = next((v for k, v in self.cookies.items() if k.endswith("csrftoken")), "")
            data = {"csrfmiddlewaretoken": token, **data}
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), text


def check_continuity(port_a: int, port_b: int, balancer: str) -> str:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    password = "cluster-check-passphrase-42"
    user, _ = user_model.objects.get_or_create(username="bench-cluster", defaults={"email": "cluster@example.com"})
    user.set_password(password)
    user.save()
    browser = Browser()
    browser.request(port_a, "GET", "/accounts/login/")
    status, _, _ = browser.request(
        port_a, "POST", "/accounts/login/", {"username": "bench-cluster", "password": password}
    )
    assert status == 302, f"login on instance A failed: {status}"
    status, _, page = browser.request(port_b, "GET", "/")
    assert status == 200 and "Welcome back, bench-cluster" in page, "session from A not recognised on B"
    status, quiz, _ = browser.request(
        port_a, "POST", "/quizzes/new/", {"difficulty": "any", "length": "5", "feedback_mode": "end"}
    )
    assert status == 302, "quiz start on A failed"
    status, _, page = browser.request(port_b, "GET", quiz)
    position = re.search(r'name="position" value="(\d+)"', page).group(1)
    choice = re.search(r'name="choice" value="(\d+)"', page).group(1)
    status, _, _ = browser.request(port_b, "POST", quiz, {"position": position, "choice": choice})
    assert status == 302, "answer on B failed"
    status, _, page = browser.request(port_a, "GET", quiz)
    assert "Question 2 of 5" in page, "quiz answered on B not continued on A"
    status, interview, _ = browser.request(
        port_b, "POST", "/interviews/new/", {"difficulty": "any", "question_count": "3", "minutes": "30"}
    )
    assert status == 302, "interview start on B failed"
    status, _, body = browser.request(
        port_a, "POST", interview + "save/", {"position": "1", "text": "saved on instance A", "revision": "0"}
    )
    assert status == 200 and '"ok": true' in body, "interview save on A failed"
    status, _, page = browser.request(port_b, "GET", interview)
    assert "saved on instance A" in page, "interview saved on A not shown on B"
    return (
        f"log-in on instance :{port_a}, dashboard on :{port_b}; quiz started on :{port_a}, answered on :{port_b}, "
        f"resumed at question 2 on :{port_a}; interview started on :{port_b}, answer saved on :{port_a} and shown "
        f"on :{port_b}. All passed (sessions in PostgreSQL, no state in the app processes); the load below goes "
        f"through nginx at {balancer}, round robin over both."
    )
