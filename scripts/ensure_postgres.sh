#!/usr/bin/env bash
# Make sure the PostgreSQL server of the test database answers; start a local one if it is installed.
set -euo pipefail
url="${1:?usage: ensure_postgres.sh DATABASE_URL}"
hostport="${url#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"
[[ "$port" == "$host" ]] && port=5432

answers() { pg_isready -q -h "$host" -p "$port" 2>/dev/null || (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

create_database() {
  # The test run creates its own test_ database; the named one is for migration checks and `make serve`.
  python_bin="${PYTHON_BIN:-.venv/bin/python}"
  "$python_bin" - "$url" <<'PY' || true
import sys
import dj_database_url
import psycopg2
from psycopg2 import sql
cfg = dj_database_url.parse(sys.argv[1])
conn = psycopg2.connect(dbname="postgres", user=cfg["USER"], password=cfg["PASSWORD"], host=cfg["HOST"], port=cfg["PORT"] or 5432)
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
    if not cur.fetchone():
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
        print(f"Created database {cfg['NAME']}.")
PY
}

if answers; then create_database; exit 0; fi
if [[ "$host" =~ ^(127\.0\.0\.1|localhost)$ ]] && command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
  echo "PostgreSQL is not answering on $host:$port; starting the local cluster."
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do answers && { create_database; exit 0; }; sleep 1; done
fi
echo "ERROR: no PostgreSQL server answers at $host:$port (from $url)." >&2
echo "Install and start PostgreSQL, or set DATABASE_URL to a server you can reach." >&2
exit 1
