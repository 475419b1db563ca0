# The two commands a newcomer needs: `make run` and `make test`. Only Python 3.11+ and make required.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: install run test serve schema lint bench bench-hostile backup restore

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

## Demo on SQLite (or DATABASE_URL): migrate, load PSG's content, print the admin login, serve.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_content
	$(PY) manage.py setup_workflows
	$(PY) manage.py ensure_dev_admin
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/   GraphQL: http://127.0.0.1:$(PORT)/graphql/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole suite; non-zero on any failure. Honours DATABASE_URL (PostgreSQL in CI).
test: install
	$(PY) manage.py check
	$(PY) -m pytest

## The production server exactly as a deployment runs it: Granian, configured by docker/serve.py.
serve: install
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=cms.settings.production PORT=$(PORT) $(PY) docker/serve.py

## Regenerate schema.graphql from the live schema.
schema: install
	$(PY) manage.py graphql_schema --schema cms.graphql.schema.schema --out schema.graphql

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Benchmark (a few minutes; not part of make test): GraphQL vs Wagtail's REST API v2 vs a static
## file at 1,000 and 10,000 news items, on PostgreSQL and Redis at 127.0.0.1, driven by wrk.
## Writes bench/results/<date>-<commit>.md and .json.
bench: install
	$(PY) bench/run.py

## Hostile inputs only (1,000 items, 3 s each), then a legitimate load beside each: bench/results/<date>-<commit>-hostile.md
bench-hostile: install
	$(PY) bench/run.py --hostile-only

## backups/<timestamp>/: pg_dump (or the SQLite file) of DATABASE_URL and a tar.gz of MEDIA_ROOT.
backup: install
	$(PY) manage.py backup

## Put a backup back (asks first): make restore BACKUP=backups/<timestamp>
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp>"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"
