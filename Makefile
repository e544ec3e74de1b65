# Sinergi: `make run` (demo on SQLite at http://127.0.0.1:8000), `make test`, `make bench`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install migrate demo clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	DEMO=1 $(BIN)/python manage.py load_demo

# The web server and the background worker (run_jobs) together; Ctrl-C stops both.
run: demo
	DEMO=1 DEBUG=1 $(BIN)/python manage.py serve 127.0.0.1:8000

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
