#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL, replacing its contents.
# Usage: scripts/restore.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
file="${1:?usage: scripts/restore.sh FILE}"
[[ -f "$file" ]] || { echo "No such backup file: $file" >&2; exit 1; }
url="${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}"
case "$url" in
  postgres://*|postgresql://*)
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname="$url" "$file"
    ;;
  *)
    "$PYTHON" manage.py migrate --noinput --verbosity 0
    "$PYTHON" manage.py flush --noinput
    "$PYTHON" manage.py loaddata "$file"
    ;;
esac
echo "Restored $file"
