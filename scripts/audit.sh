#!/usr/bin/env bash
# Lighthouse audit of a running production-style server (`make serve`): landing page, question list and a
# mock interview page (logged in). Prints the scores and writes them to docs/audit.md.
# Usage: scripts/audit.sh [BASE_URL]   (default http://127.0.0.1:8000)
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-http://127.0.0.1:${PORT:-8000}}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
tools=".audit"
version="13.5.0"
if [[ ! -x "$tools/node_modules/.bin/lighthouse" ]]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent "lighthouse@$version"
fi
out="$(mktemp -d)"
# A candidate with a running interview, and a session cookie for them, made with the app's own code.
cookie="$(.venv/bin/python manage.py shell -c '
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from practice import services
from practice.models import Attempt
user, _ = get_user_model().objects.get_or_create(username="lighthouse", defaults={"email": "lighthouse@example.com"})
attempt = Attempt.objects.for_user(user).interviews().active().filter(deadline__gt=timezone.now()).first()
if attempt is None:
    attempt = services.interview_start(user=user, tags=[], difficulty="any", question_count=5, minutes=120, now=timezone.now())
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "accounts.backends.UsernameOrEmailBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(f"{settings.SESSION_COOKIE_NAME}={session.session_key} {attempt.pk}")
' | tail -1)"
session="${cookie% *}"
interview="${cookie##* }"
flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
declare -A pages=([landing]="/" [questions]="/questions/" [interview]="/interviews/$interview/")
for name in landing questions interview; do
  headers="{}"
  [[ "$name" == interview ]] && headers="{\"Cookie\": \"$session\"}"
  "$tools/node_modules/.bin/lighthouse" "$base${pages[$name]}" --quiet --chrome-flags="$flags" \
    --only-categories=performance,accessibility,best-practices,seo --extra-headers="$headers" \
    --output=json --output-path="$out/$name.json" >/dev/null
done
.venv/bin/python - "$out" "$version" <<'PY'
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

out, version = Path(sys.argv[1]), sys.argv[2]
rows = []
for name, label in (("landing", "Landing page `/`"), ("questions", "Question list `/questions/`"),
                    ("interview", "Mock interview `/interviews/<id>/` (logged in)")):
    report = json.loads((out / f"{name}.json").read_text())
    scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
    transfer = report["audits"]["total-byte-weight"]["numericValue"] / 1024
    rows.append((label, scores, transfer))
lines = [
    "# Lighthouse audit",
    "",
    f"Lighthouse {version}, headless Chromium, against `make serve` (gunicorn, debug off, whitenoise), "
    f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Written by `make audit`.",
    "",
    "| page | performance | accessibility | best practices | SEO | transfer |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
]
for label, s, transfer in rows:
    lines.append(f"| {label} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} "
                 f"| {transfer:.0f} kB |")
lines += ["", "Targets: accessibility 100, best practices 100, performance 95 or better on the landing page."]
text = "\n".join(lines) + "\n"
Path("docs/audit.md").write_text(text)
print(text)
PY
