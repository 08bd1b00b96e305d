# Claimbook: `make run` sets up and serves the app on SQLite; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run serve test test-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# One job worker runs beside the development server (imports, candidate mining), stopped with it.
# Both use the same SQLite file: the queue is a table in it (django-tasks' database backend).
run: setup
	$(BIN)/python manage.py bootstrap
	$(BIN)/python manage.py jobs_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production, from the environment alone (docs/deploy.md): DEBUG off unless set, migrations,
# static files collected and hashed, then gunicorn on 127.0.0.1:$$PORT (default 8000) or $$BIND
# and one job worker beside it; in the foreground until stopped (Ctrl-C or SIGTERM stop both).
serve: setup
	export DEBUG=$${DEBUG:-0}; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py check --deploy --fail-level ERROR && \
	{ $(BIN)/python manage.py jobs_worker & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/gunicorn -c python:kb.gunicorn_conf kb.wsgi; }

test: setup
	$(BIN)/python -m pytest

test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/claimbook} $(BIN)/python -m pytest
