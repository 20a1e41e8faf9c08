"""`make bench`: the app under load on this machine, compared with the limit of the stack.

1. Seeds PostgreSQL (BENCH_DATABASE_URL, default database interviewprep_bench): the full bank, 200 candidates
   with a month of history each (seed_demo_history), and one candidate with 2,000 attempts.
2. Serves the app with gunicorn (production settings, debug off, BENCH_WORKERS workers, default 2, of
   BENCH_WORKER_CLASS, default sync, with BENCH_THREADS threads for gthread); with --cluster, two gunicorn
   instances behind nginx on loopback (round robin).
3. Runs headless Locust loads of BENCH_USERS (default 50) logged-in candidates for BENCH_SECONDS each (default
   20): capacity runs without think time on /healthz (one `SELECT 1`, no session), a minimal logged-in page,
   question GET and quiz answer POST; then a realistic mixed run (think time 0.5-1.5 s: browsing, quizzes,
   interview autosaves, progress). Users arrive BENCH_SPAWN_RATE per second (default 10); the latency and
   throughput figures are of the steady state once all have arrived.
4. Checks correctness over every request (no 5xx, no failure, every acknowledged interview save in the
   database), measures the progress page's server time for the 2,000-attempt candidate, checks static files,
   and writes bench/results.md (or bench/results-cluster.md) with the targets met or not. The app servers' CPU
   time over the steady state of the answer run, divided by the answers, is the app CPU per answer.
5. Writes the run's figures to bench/results.json; with a baseline (BENCH_BASELINE, default bench/baseline.json
   when it exists: the figures of an earlier commit measured in the same sitting) the targets compare with it.
"""

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interviewprep_bench")
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
# Users arrive at this rate (per second); the statistics restart once all of them are running, so the
# figures are of the steady state at USERS concurrent users, not of the arrival burst.
SPAWN_RATE = float(os.environ.get("BENCH_SPAWN_RATE", "10"))
BASELINE = Path(os.environ.get("BENCH_BASELINE") or Path(__file__).with_name("baseline.json"))
CANDIDATES = 200
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-secret-" + "x" * 40),
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "interviewprep.settings",
    # Production-like: cache, cached sessions and rate limits in Redis (BENCH_REDIS_URL= to run without).
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
}


def manage(*args: str) -> str:
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def django_setup():
    os.environ.update({k: v for k, v in ENV.items() if k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed() -> None:
    print("Preparing the database (migrate, bank, candidates)...", flush=True)
    if ENV["REDIS_URL"]:
        subprocess.run(["redis-cli", "-u", ENV["REDIS_URL"], "FLUSHDB"], check=False, capture_output=True)
    subprocess.run(["bash", "scripts/ensure_postgres.sh", DB_URL], cwd=ROOT, env=ENV, check=True)
    manage("migrate", "--noinput")
    manage("createcachetable")
    manage("loaddata", "bank")
    manage("collectstatic", "--noinput")
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.timing import ensure_heavy_candidate
    from practice.models import Attempt

    user_model = get_user_model()
    for n in range(CANDIDATES):
        name = f"bench-{n:03d}"
        if not user_model.objects.filter(username=name).exists():
            call_command(
                "seed_demo_history", name, "--create", "--attempts", "60", "--days", "30", "--seed", str(n), verbosity=0
            )
    ensure_heavy_candidate()
    # Unfinished attempts of earlier runs would make every run start from a different state.
    Attempt.objects.filter(user__username__startswith="bench-", status="active").delete()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # earlier runs' dead rows gone, even where autovacuum is off


def make_sessions(path: Path) -> None:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    sessions = []
    for user in get_user_model().objects.filter(username__startswith="bench-").exclude(username="bench-progress"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "accounts.backends.UsernameOrEmailBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "key": store.session_key,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "csrf": get_random_string(32),
            }
        )
    path.write_text(json.dumps(sessions))


class Servers:
    """gunicorn instance(s), and nginx in front of two of them for --cluster."""

    def __init__(self, cluster: bool, port: int = 8600):
        self.cluster, self.port, self.procs, self.tmp = cluster, port, [], Path(tempfile.mkdtemp())

    def __enter__(self):
        ports = [self.port + 1, self.port + 2] if self.cluster else [self.port]
        for p in ports:
            self.procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "gunicorn"),
                        "interviewprep.wsgi",
                        "--bind",
                        f"127.0.0.1:{p}",
                        "--workers",
                        str(WORKERS),
                        "--worker-class",
                        WORKER_CLASS,
                        "--threads",
                        str(THREADS),
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=ENV,
                    stdout=subprocess.DEVNULL,
                    stderr=open(self.tmp / f"gunicorn-{p}.log", "w"),
                )
            )
        if self.cluster:
            conf = (
                (ROOT / "bench" / "nginx.conf")
                .read_text()
                .format(
                    port=self.port,
                    upstreams="\n".join(f"        server 127.0.0.1:{p};" for p in ports),
                    tmp=self.tmp,
                    static=ROOT / "staticfiles",
                )
            )
            (self.tmp / "nginx.conf").write_text(conf)
            self.procs.append(
                subprocess.Popen(
                    ["nginx", "-c", str(self.tmp / "nginx.conf"), "-g", "daemon off;"],
                    stderr=open(self.tmp / "nginx.log", "w"),
                )
            )
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"The server did not start: see {self.tmp}")

    def __exit__(self, *exc):
        for proc in self.procs:
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            proc.wait(timeout=20)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User and system CPU time so far of the gunicorn masters and their workers (from /proc)."""
        ticks = 0
        masters = {proc.pid for proc in self.procs if "gunicorn" in proc.args[0]}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended meanwhile
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid in masters or ppid in masters:
                ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / os.sysconf("SC_CLK_TCK")


def locust(scenario: str, servers: "Servers", sessions: Path, tmp: Path, *, think: float = 0.0) -> dict:
    """One Locust run; its rows, failures, saves and counts, and the app's CPU seconds over the steady state."""
    url = servers.url
    prefix = tmp / scenario
    saves = tmp / f"{scenario}-saves.json"
    env = {
        **os.environ,
        "BENCH_SCENARIO": scenario,
        "BENCH_SESSIONS_FILE": str(sessions),
        "BENCH_SAVES_FILE": str(saves),
        "BENCH_THINK_SECONDS": str(think),
    }
    run = subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(SPAWN_RATE),
            "--reset-stats",
            "-t",
            f"{SECONDS}s",
            "--host",
            url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / f"{scenario}.log", "w"),
    )
    # Locust resets its figures once every user has arrived: the CPU window starts then too.
    time.sleep(USERS / SPAWN_RATE)
    cpu_start = servers.cpu_seconds()
    time.sleep(max(0.0, SECONDS - USERS / SPAWN_RATE))
    cpu = servers.cpu_seconds() - cpu_start
    run.wait()
    rows = {}
    with open(f"{prefix}_stats.csv") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with open(failures_file) as f:
            failures = list(csv.DictReader(f))
    outcome = json.loads(saves.read_text()) if saves.exists() else {"saves": [], "counts": None}
    if outcome["counts"] is None:
        raise SystemExit(f"Locust wrote no outcome for {scenario}: see {tmp / (scenario + '.log')}")
    return {"rows": rows, "failures": failures, "saves": outcome["saves"], "counts": outcome["counts"], "cpu": cpu}


def check_saves(saves: list[dict]) -> tuple[int, int]:
    """Every save acknowledged as stored is in the database (or a newer one of the same answer is)."""
    from practice.models import Answer

    latest: dict = {}
    for s in saves:
        key = (s["attempt"], s["position"])
        if key not in latest or s["revision"] > latest[key]["revision"]:
            latest[key] = s
    lost = 0
    for (attempt, position), s in latest.items():
        answer = Answer.objects.filter(item__attempt_id=attempt, item__position=position).first()
        if (
            answer is None
            or answer.revision < s["revision"]
            or (answer.revision == s["revision"] and answer.text != s["text"])
        ):
            lost += 1
    return len(saves), lost


def progress_server_time() -> tuple[float, int]:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from bench.timing import HEAVY_CANDIDATE, time_page

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(User.objects.get(username=HEAVY_CANDIDATE))
    timings, queries = time_page(client, "/progress/")
    return statistics.median(timings), len(queries)


SEARCHES = ["dropout", "batch normalization", "BN", "regularization", "overfiting", "vanishing gradient"]


def search_server_time() -> tuple[float, float, int]:
    """Median and worst median ms of /questions/?q=... over SEARCHES (a typo among them), and most SQL queries."""
    from django.conf import settings
    from django.test import Client

    from bench.timing import time_page

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    medians, most = [], 0
    for query in SEARCHES:
        timings, queries = time_page(client, f"/questions/?q={query}", runs=20)
        medians.append(statistics.median(timings))
        # The search's own queries: the filter's tag list comes from the bank cache when it is on.
        most = max(most, sum(1 for q in queries if "questions_tag" not in q or "questions_search" in q))
    return statistics.median(medians), max(medians), most


def scoring_time() -> tuple[float, int]:
    """Median seconds to score a 10-question interview at its finish, the model loaded and the bank's side
    embedded (as in a running server), and the number of answer sentences: strong answers of the graded set."""
    from practice import embeddings, scoring
    from questions.models import Question

    answers: dict[int, str] = {}
    with open(ROOT / "tests" / "data" / "graded_answers.jsonl") as f:
        for line in f:
            row = json.loads(line)
            if row["grade"] == "strong":
                answers.setdefault(row["question"], row["answer"])
    questions = Question.objects.filter(pk__in=list(answers)[:10]).prefetch_related("key_points", "choices")
    interview = [(q, list(q.key_points.all()), list(q.choices.all()), answers[q.pk]) for q in questions]
    embeddings.model()
    for question, points, choices, _text in interview:
        scoring.question_vectors(question, points, choices)
    timings = []
    for _ in range(7):
        scoring._said.clear()  # the candidate's sentences are new at every finish
        start = time.perf_counter()
        scoring.prepare([text for *_rest, text in interview])
        for question, points, choices, text in interview:
            scoring.score_answer(question, text, key_points=points, choices=choices)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), sum(len(scoring.sentences(text)) for *_rest, text in interview)


def static_check(url: str) -> dict:
    import gzip
    import re

    html = urllib.request.urlopen(url + "/").read()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    total = len(gzip.compress(html))
    hashed = cached = compressed = 0
    for asset in assets:
        request = urllib.request.Request(url + asset.decode(), headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            total += len(body)
            hashed += bool(re.search(rb"\.[0-9a-f]{12}\.", asset))
            cached += "max-age=315360000" in response.headers.get("Cache-Control", "")
            compressed += response.headers.get("Content-Encoding") == "gzip"
    return {"assets": len(assets), "hashed": hashed, "cached": cached, "compressed": compressed, "kb": total / 1024}


def versions() -> str:
    import django

    def out(cmd):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, subprocess.CalledProcessError, IndexError):
            return "not installed"

    from django.db import connection

    connection.ensure_connection()
    pg = connection.cursor().connection.server_version
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg // 10000}.{pg % 100}, {out([str(BIN / 'gunicorn'), '--version'])}, "
        f"{out([str(BIN / 'locust'), '--version']).split(' from ')[0]}, "
        f"{out(['nginx', '-v']).replace('nginx version: ', '')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", action="store_true", help="two gunicorn instances behind nginx")
    args = parser.parse_args()
    if args.cluster and not shutil.which("nginx"):
        raise SystemExit("nginx is missing: `apt-get install nginx` (make bench-cluster does it as root).")
    seed()
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    sessions = tmp / "sessions.json"
    make_sessions(sessions)
    results = {}
    with Servers(cluster=args.cluster) as servers:
        if args.cluster:
            from bench.cluster_check import check_continuity

            continuity = check_continuity(servers.port + 1, servers.port + 2, servers.url)
        for scenario in ("healthz", "minimal", "question", "answer"):
            print(f"Load: {scenario} ({USERS} users, {SECONDS} s, no think time)...", flush=True)
            results[scenario] = locust(scenario, servers, sessions, tmp)
        print(f"Load: mixed ({USERS} users, {SECONDS} s, think time 0.5-1.5 s)...", flush=True)
        results["mixed"] = locust("mixed", servers, sessions, tmp, think=1.0)
        print("Load: mixed without think time (throughput)...", flush=True)
        results["mixed-max"] = locust("mixed", servers, sessions, tmp)
        static = static_check(servers.url)
    saves = [s for r in results.values() for s in r["saves"]]
    acknowledged, lost = check_saves(saves)
    progress_ms, progress_queries = progress_server_time()
    search = search_server_time()
    scored = scoring_time()
    report(
        results,
        args.cluster,
        acknowledged,
        lost,
        progress_ms,
        progress_queries,
        static,
        continuity if args.cluster else None,
        search,
        scored,
    )


def figures(results) -> dict:
    """The run's headline figures, as bench/results.json keeps them (a later run's baseline)."""

    def rps(run, name):
        return results[run]["rows"].get(name, {"rps": 0.0})["rps"]

    answers = results["answer"]["rows"].get("quiz answer POST", {"requests": 0})["requests"]
    mixed = {name: row["p99"] for name, row in results["mixed"]["rows"].items() if name != "Aggregated"}
    return {
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "healthz_rps": rps("healthz", "/healthz"),
        "minimal_rps": rps("minimal", "minimal logged-in page GET"),
        "question_rps": rps("question", "question GET"),
        "answers_per_s": rps("answer", "quiz answer POST"),
        "cpu_ms_per_answer": 1000 * results["answer"]["cpu"] / answers if answers else float("inf"),
        "mixed_p99": mixed,
    }


def targets(results, limit, progress_ms, progress_queries, static, search, scored, baseline) -> list[str]:
    """The issue's targets against this run's figures, met or not."""
    now = figures(results)
    share = 100 * now["question_rps"] / now["minimal_rps"]
    checks = [
        (
            "Question GET at capacity: at least 85% of the minimal signed-in page's throughput",
            f"{share:.0f}% ({now['question_rps']:.0f} of {now['minimal_rps']:.0f} req/s)",
            share >= 85,
        )
    ]
    if baseline:
        ratio = now["answers_per_s"] / baseline["answers_per_s"]
        checks.append(
            (
                f"Quiz answers per second at capacity: at least 2x the baseline's ({baseline['commit']})",
                f"{ratio:.2f}x ({now['answers_per_s']:.0f} against {baseline['answers_per_s']:.0f})",
                ratio >= 2,
            )
        )
    else:
        checks.append(("Quiz answers per second at capacity: at least 2x the baseline's", "no baseline", False))
    checks.append(
        (
            "App CPU per answer (gunicorn's CPU time / answers)",
            f"{now['cpu_ms_per_answer']:.1f} ms",
            now["cpu_ms_per_answer"] <= 7,
        )
    )
    worst = max(now["mixed_p99"], key=now["mixed_p99"].get)
    checks.append(
        (
            f"Realistic mix ({USERS} users, think time 1 s): p99 under 100 ms for every request type",
            f"worst {now['mixed_p99'][worst]:.0f} ms ({worst})",
            now["mixed_p99"][worst] < 100,
        )
    )
    counts = [r["counts"] for r in results.values()]
    bad = sum(c["failures"] + c["server_errors"] for c in counts)
    checks.append(("Every run: no failure, no 5xx", f"{bad}", bad == 0))
    checks += [
        ("Progress page, 2,000 attempts: under 100 ms", f"{progress_ms:.0f} ms", progress_ms < 100),
        ("Progress page: no more than 10 queries", str(progress_queries), progress_queries <= 10),
        ("Search, whole bank: under 20 ms server time (worst query's median)", f"{search[1]:.1f} ms", search[1] < 20),
        ("Search: at most 3 queries", str(search[2]), search[2] <= 3),
        (
            "Interview scoring: a 10-question interview scored at finish in under 1 s (model loaded)",
            f"{scored[0]:.2f} s ({scored[1]} sentences)",
            scored[0] < 1,
        ),
        ("Landing page first load: under 150 kB", f"{static['kb']:.0f} kB", static["kb"] < 150),
        (
            "Static files hashed, compressed, cached for a year",
            f"{static['hashed']}/{static['compressed']}/{static['cached']} of {static['assets']}",
            static["hashed"] == static["compressed"] == static["cached"] == static["assets"],
        ),
    ]
    lines = ["## Targets", "", "| target | this run | met |", "| --- | ---: | :---: |"]
    lines += [f"| {label} | {value} | {'yes' if ok else '**no**'} |" for label, value, ok in checks]
    return lines


def report(
    results, cluster, acknowledged, lost, progress_ms, progress_queries, static, continuity, search, scored
) -> None:
    limit = results["healthz"]["rows"]["/healthz"]["rps"]
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() and not cluster else None
    lines = [
        f"# Benchmark results{' (two instances behind nginx)' if cluster else ''}",
        "",
        f"Run by `make bench{'-cluster' if cluster else ''}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{os.cpu_count()} cores, {versions()}.",
        f"gunicorn: {'2 instances' if cluster else '1 instance'} x {WORKERS} {WORKER_CLASS} workers"
        f"{f' x {THREADS} threads' if THREADS > 1 else ''}, production settings (debug off), "
        f"{'Redis cache and cached sessions' if ENV['REDIS_URL'] else 'database cache and sessions'}. "
        f"{USERS} concurrent Locust users (FastHttpUser) on the same machine, {SECONDS} s per run: they arrive "
        f"{SPAWN_RATE:g} per second and the figures are of the steady state after that.",
        "",
        "| run | request | requests | req/s | share of /healthz | p50 ms | p95 ms | p99 ms | failures |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run, label in (
        ("healthz", "limit: no session, `SELECT 1`"),
        ("minimal", "limit: minimal logged-in page"),
        ("question", "capacity"),
        ("answer", "capacity"),
        ("mixed", "realistic, think time 1 s"),
        ("mixed-max", "mixed, no think time"),
    ):
        for name, row in sorted(results[run]["rows"].items(), key=lambda kv: kv[0] == "Aggregated"):
            if name == "Aggregated" and len(results[run]["rows"]) <= 2:
                continue
            lines.append(
                f"| {run} ({label}) | {name} | {row['requests']} | {row['rps']:.0f} | "
                f"{100 * row['rps'] / limit:.0f}% | {row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | "
                f"{row['failures']} |"
            )
    requests = sum(r["counts"]["requests"] for r in results.values())
    failures = sum(r["counts"]["failures"] for r in results.values())
    server_errors = sum(r["counts"]["server_errors"] for r in results.values())
    lines += [
        "",
        f"Correctness, over every request of every run ({requests:,}, the users' arrival included): {failures} "
        f"failed, {server_errors} answered 5xx; {acknowledged:,} interview saves acknowledged as stored, {lost} "
        "missing from the database afterwards.",
        "",
        f"Progress page of a candidate with 2,000 attempts: median {progress_ms:.0f} ms server time (in-process), "
        f"{progress_queries} SQL queries.",
        "",
        f"Search of the whole bank ({', '.join(SEARCHES)}): median {search[0]:.1f} ms server time (in-process), "
        f"worst {search[1]:.1f} ms, at most {search[2]} SQL queries.",
        "",
        f"Interview scoring (in-process, model loaded): a 10-question interview of strong answers "
        f"({scored[1]} sentences) scored in {scored[0]:.2f} s (median of 7).",
        "",
        f"Static files of the landing page: {static['assets']} assets, {static['hashed']} with hashed names, "
        f"{static['cached']} cached for 10 years (immutable), {static['compressed']} gzip-compressed; first-load "
        f"transfer {static['kb']:.0f} kB (HTML included).",
    ]
    lines += ["", *targets(results, limit, progress_ms, progress_queries, static, search, scored, baseline)]
    if continuity:
        lines += ["", "Scale-out check: " + continuity]
    text = "\n".join(lines) + "\n"
    if not cluster:
        (ROOT / "bench" / "results.json").write_text(json.dumps(figures(results), indent=2) + "\n")
    out = ROOT / "bench" / ("results-cluster.md" if cluster else "results.md")
    history = ""
    if out.exists() and "## Earlier runs" in out.read_text():
        history = out.read_text().split("## Earlier runs", 1)[1]
    out.write_text(text + ("\n## Earlier runs" + history if history else ""))
    print(text)
    if failures or server_errors or lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
