# The two commands a newcomer needs: `make run` and `make test`. Only Python 3.11+ and make required.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
# --no-deps: each lock is the complete set uv resolved (pillow-heif is left out on purpose, see
# [tool.uv] in pyproject.toml). --no-compile: bytecode is written on first import instead, so only
# the modules the server loads get any (the S3 client, and Granian under `make run`, get none).
PIP    := $(VENV)/bin/pip install --quiet --require-hashes --no-deps --no-compile

.PHONY: install install-runtime lock run test serve worker schema lint bench bench-hostile backup restore

# Stamps in the venv: `make run` installs the runtime lock only; `make test`, `lint` and `bench` add
# the development lock (a superset, same pins), so after `make run` they install only what is missing.
# The pip that comes with Python installs the hashed locks as they are; upgrading it would fetch an
# unpinned pip. setuptools (Python 3.11's venv adds it, 3.12's no longer does): nothing imports it
# at run time, and pip builds the one sdist (promise) in an isolated environment of its own.
$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip uninstall --quiet --yes setuptools
	touch $@

# The .po files are translation sources (21 MB, mostly Django's and Wagtail's): only makemessages
# reads them; the server reads the compiled .mo beside each, so every admin language stays.
$(VENV)/.runtime: requirements/runtime.txt $(VENV)/.created
	$(PIP) -r requirements/runtime.txt
	find $(VENV)/lib -name '*.po' -delete
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.runtime
	$(PIP) -r requirements/dev.txt
	touch $@

## Everything: runtime, tests, benchmarks and the lint tools (what CI and pre-commit use).
install: $(VENV)/.dev

## What the server needs, nothing more (the Docker image installs the same lock).
install-runtime: $(VENV)/.runtime

## Recompile requirements/*.txt from pyproject.toml after changing a range; pins already in the
## files are kept (add --upgrade-package NAME to the uv commands to move one).
lock: $(VENV)/.dev
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --python-version 3.11.5 --generate-hashes \
		--custom-compile-command "make lock" -o requirements/runtime.txt
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --python-version 3.11.5 --generate-hashes \
		--custom-compile-command "make lock" --group dev -c requirements/runtime.txt -o requirements/dev.txt

## Demo on SQLite (or DATABASE_URL): migrate, load PSG's content, print the admin login, serve.
## Links the CMS writes to itself (WAGTAILADMIN_BASE_URL) name the port served, unless set already.
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install-runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_content
	$(PY) manage.py setup_workflows
	$(PY) manage.py ensure_dev_admin
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/   GraphQL: http://127.0.0.1:$(PORT)/graphql/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole suite; non-zero on any failure. Honours DATABASE_URL (PostgreSQL in CI). One worker
## process per core (pytest-xdist); the tests of one file run in one worker, in order, so a file's
## fixed resources (its Redis database, its servers) are never shared. TEST_WORKERS=0: no workers.
TEST_WORKERS ?= auto
test: install
	$(PY) manage.py check
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

## The production server exactly as a deployment runs it: Granian, configured by docker/serve.py.
serve: install-runtime
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=cms.settings.production PORT=$(PORT) $(PY) docker/serve.py

## The background worker beside `make serve`: runs the queued tasks (webhook deliveries and their
## retries, image renditions, form and registration emails) from the database, as the compose `worker`.
worker: install-runtime
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py db_worker --backend webhooks

## Regenerate schema.graphql from the live schema.
schema: install-runtime
	$(PY) manage.py graphql_schema --schema api.graphql.schema.schema --out schema.graphql

## ruff (lint and format), import-linter's contracts and mypy (pyproject.toml); pre-commit runs the same.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

## Benchmark (a few minutes; not part of make test): GraphQL (uncached, cached, through Varnish) vs
## Wagtail's REST API v2 vs a static file at 1,000 and 10,000 news items, on PostgreSQL and Redis at
## 127.0.0.1, driven by wrk.
## Writes bench/results/<date>-<commit>.md and .json.
bench: install
	$(PY) bench/run.py

## Hostile inputs only (1,000 items, 3 s each), then a legitimate load beside each: bench/results/<date>-<commit>-hostile.md
bench-hostile: install
	$(PY) bench/run.py --hostile-only

## backups/<timestamp>/: pg_dump (or the SQLite file) of DATABASE_URL and a tar.gz of MEDIA_ROOT.
backup: install-runtime
	$(PY) manage.py backup

## Put a backup back (asks first): make restore BACKUP=backups/<timestamp>
restore: install-runtime
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp>"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"
