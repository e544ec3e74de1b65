# Sinergi: `make run` (demo on SQLite at http://127.0.0.1:8000), `make test`, `make bench`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench install install-runtime migrate demo clean

# Two dependency sets: requirements.lock is what the server runs (make run, production);
# requirements-dev.lock adds the test, lint and type-checking tools (make install, make test, CI).
# Both are compiled with uv from requirements.in / requirements-dev.in.
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $(DEV_STAMP)

install-runtime: $(STAMP)

install: $(DEV_STAMP)

# The demo and the tests run with neither a real key nor production: DEMO=1 for make run, a
# throwaway key for the checks and tests (the settings refuse the default key outside DEBUG/DEMO).
run demo migrate: export DEMO := 1
lint test bench: export SECRET_KEY := $(or $(SECRET_KEY),test-only-key-never-used-to-serve)

migrate: install-runtime
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

# The web server and the background worker (run_jobs) together; Ctrl-C stops both. Not in DEBUG: a
# visitor meets the shell's own 404/403/500 pages, never Django's debug page with its list of URLs.
# WhiteNoise serves the static files (collected and compressed here); uploads have no public URL.
run: demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py serve 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache

# Whole suite: lint, types, unit + permission matrix + API tests, and browser tests when
# Chromium is installed (/usr/bin/chromium; CI installs it). DATABASE_URL picks PostgreSQL.
test: lint
	mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf var staticfiles artifacts
