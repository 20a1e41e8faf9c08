#!/usr/bin/env bash
# Back up the database of DATABASE_URL: pg_dump (custom format) for PostgreSQL, dumpdata for SQLite.
# Usage: scripts/backup.sh [OUTPUT]   (default: backups/interviewprep-<UTC time>.dump or .json)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
url="${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}"
stamp="$(date -u +%Y%m%d-%H%M%S)"
mkdir -p backups
case "$url" in
  postgres://*|postgresql://*)
    out="${1:-backups/interviewprep-$stamp.dump}"
    pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$out"
    ;;
  *)
    out="${1:-backups/interviewprep-$stamp.json}"
    "$PYTHON" manage.py dumpdata --natural-foreign --exclude contenttypes --exclude auth.permission \
      --exclude sessions --exclude admin.logentry --indent 1 --output "$out"
    ;;
esac
echo "Backed up to $out"
