"""Load of logged-in candidates for `make bench` (bench/run.py drives it; see its docstring).

BENCH_SCENARIO picks the user class: healthz, minimal, question, answer, mixed. Candidates use sessions that
bench/run.py created in the database (BENCH_SESSIONS_FILE). When the run stops, BENCH_SAVES_FILE receives every
interview save acknowledged with a success (run.py checks that each one is in the database) and the counts of
requests, failures and 5xx of the whole run.
"""

import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, between, constant, events, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "mixed")
SESSIONS = json.load(open(os.environ["BENCH_SESSIONS_FILE"])) if os.environ.get("BENCH_SESSIONS_FILE") else []
THINK = float(os.environ.get("BENCH_THINK_SECONDS", "0"))
_next_candidate = itertools.count()
ACKNOWLEDGED_SAVES: list[dict] = []
# Every request of the run, the arrival of the users included (the statistics are reset once all have arrived).
COUNTS = {"requests": 0, "failures": 0, "server_errors": 0}

POSITION = re.compile(r'name="position" value="(\d+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')


@events.request.add_listener
def count_request(response=None, exception=None, **kwargs):
    COUNTS["requests"] += 1
    COUNTS["failures"] += exception is not None
    COUNTS["server_errors"] += getattr(response, "status_code", 0) >= 500


@events.test_stop.add_listener
def write_outcome(environment, **kwargs):
    path = os.environ.get("BENCH_SAVES_FILE")
    if path:
        with open(path, "w") as f:
            json.dump({"saves": ACKNOWLEDGED_SAVES, "counts": COUNTS}, f)


class Candidate(FastHttpUser):
    abstract = True
    wait_time = between(THINK / 2, THINK * 1.5) if THINK else constant(0)

    def on_start(self):
        self.session = SESSIONS[next(_next_candidate) % len(SESSIONS)]
        self.headers = {
            "Cookie": f"{self.session['cookie']}={self.session['key']}; {self.session['csrf_cookie']}="
            f"{self.session['csrf']}",
        }
        self.post_headers = {**self.headers, "X-CSRFToken": self.session["csrf"]}
        self.quiz = None
        self.quiz_page = None
        self.interview = None
        self.revisions: dict[str, dict[int, int]] = {}

    def get(self, url, name, expect=(200,)):
        with self.client.get(
            url, headers=self.headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code}")
            return response

    def post(self, url, data, name, expect=(302,), headers=None):
        with self.client.post(
            url,
            data=data,
            headers={**self.post_headers, **(headers or {})},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code}")
            return response

    def start_quiz(self):
        response = self.post(
            "/quizzes/new/",
            {"difficulty": "any", "length": "custom", "custom_length": "50", "feedback_mode": "end"},
            "quiz start POST",
        )
        location = response.headers.get("Location", "")
        self.quiz = location if location.startswith("/quizzes/") else None

    def answer_one(self):
        """One answer as the quiz page's script sends it: the POST asks for the next page's body (one request).
        An app that answers with a redirect instead (post/redirect/get) costs the GET that follows it."""
        if self.quiz is None:
            self.start_quiz()
            if self.quiz is None:
                return
            self.quiz_page = None
        if self.quiz_page is None:
            self.quiz_page = self.get(self.quiz, "quiz question GET", expect=(200, 302)).text or ""
        text, self.quiz_page = self.quiz_page, None
        position, choices = POSITION.search(text), CHOICE.findall(text)
        if not position or not choices:
            self.quiz = None  # finished: the page redirected to the result
            return
        response = self.post(
            self.quiz,
            {"position": position.group(1), "choice": random.choice(choices)},
            "quiz answer POST",
            expect=(200, 204, 302),
            headers={"X-Quiz-Fragment": "1"},
        )
        if response.status_code == 200:
            self.quiz_page = response.text or ""
        elif "/result/" in response.headers.get("Location", "") + response.headers.get("X-Quiz-Redirect", ""):
            self.quiz = None

    def save_interview_answer(self):
        if self.interview is None:
            response = self.post(
                "/interviews/new/",
                {"difficulty": "any", "question_count": "3", "minutes": "120"},
                "interview start POST",
            )
            location = response.headers.get("Location", "")
            self.interview = location if location.startswith("/interviews/") else None
            if self.interview is None:
                return
        position = random.randint(1, 3)
        # Like the page: send the revision this candidate last saw (the server assigns them, compare-and-set).
        seen = self.revisions.setdefault(self.interview, {})
        stamp = int(time.time() * 1_000_000)
        text = f"Answer {stamp}: gradients flow backwards through every layer by the chain rule."
        response = self.post(
            f"{self.interview}save/",
            {"position": position, "text": text, "revision": seen.get(position, 0)},
            "interview save POST",
            expect=(200,),
        )
        if response.status_code == 200 and response.json().get("stored"):
            seen[position] = response.json()["revision"]
            ACKNOWLEDGED_SAVES.append(
                {
                    "attempt": int(self.interview.strip("/").split("/")[-1]),
                    "position": position,
                    "revision": seen[position],
                    "text": text,
                }
            )


class HealthzUser(Candidate):
    @task
    def healthz(self):
        with self.client.get("/healthz", name="/healthz", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class MinimalUser(Candidate):
    @task
    def minimal(self):
        self.get("/accounts/password_change/done/", "minimal logged-in page GET")


class QuestionUser(Candidate):
    @task
    def question(self):
        self.get(f"/questions/{random.randint(1, 128)}/", "question GET")


class AnswerUser(Candidate):
    @task
    def answer(self):
        self.answer_one()


class MixedUser(Candidate):
    @task(4)
    def browse(self):
        if random.random() < 0.5:
            self.get(f"/questions/?page={random.randint(1, 7)}", "question list GET")
        else:
            self.get(f"/questions/{random.randint(1, 128)}/", "question GET")

    @task(6)
    def quiz(self):
        self.answer_one()

    @task(3)
    def interview(self):
        self.save_interview_answer()

    @task(1)
    def progress(self):
        self.get("/progress/", "progress GET")


USER_CLASSES = {
    "healthz": HealthzUser,
    "minimal": MinimalUser,
    "question": QuestionUser,
    "answer": AnswerUser,
    "mixed": MixedUser,
}
for _name, _cls in USER_CLASSES.items():
    if _name != SCENARIO:
        _cls.abstract = True
del _name, _cls  # Locust collects every User class in the module's namespace
