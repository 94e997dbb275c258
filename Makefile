# Entry points. A newcomer needs two: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/retefamiglie
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: help install assets messages-compile setup demo serve worker test test-postgres \
        lint messages check-deploy bench clean

help:
	@echo "make demo           install everything, load the Lucca demo, serve it on $(HOST):$(PORT)"
	@echo "make test           run every test (browser tests included) on SQLite"
	@echo "make test-postgres  run every test on PostgreSQL ($(POSTGRES_URL))"
	@echo "make lint           ruff, ruff format, mypy, makemigrations --check, translations"
	@echo "make messages       extract translatable strings into the catalogues"
	@echo "make check-deploy   manage.py check --deploy with production settings"

# Python 3.13 comes from .python-version (pyenv); uv is installed into it if missing.
install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q uv
	$(UV) sync --frozen
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund; fi
	@$(MAKE) -s assets

# Bootstrap Italia's CSS purged over every template, fonts subset (ADR 21);
# rebuilt whenever a template, module or script is newer than the build.
ASSET_SOURCES := $(shell find retefamiglie config scripts/build_assets.py package-lock.json \
	-name '*.html' -o -name '*.py' -o -name '*.js' -o -name '*.txt' -o -name '*.css' -o -name package-lock.json 2>/dev/null)
assets: var/assets/bootstrap-italia/css/bootstrap-italia.min.css
var/assets/bootstrap-italia/css/bootstrap-italia.min.css: $(ASSET_SOURCES)
	$(RUN) python scripts/build_assets.py

messages-compile: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

setup: install messages-compile
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) seed_demo
	$(MANAGE) renew_public_pages -v0
	$(MANAGE) monitoring_periodic -v0

# The web server and the task worker together; Ctrl-C stops both.
# Run as in production (config/settings/demo.py): DEBUG off, real error pages.
demo: export DJANGO_SETTINGS_MODULE = config.settings.demo
demo: setup
	@echo "Serving the Lucca demo at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) db_worker --queue-name '*' & \
	$(MANAGE) runserver $(HOST):$(PORT) --noreload

test: install messages-compile
	DJANGO_SETTINGS_MODULE=config.settings.test $(RUN) pytest $(PYTEST_ARGS)

test-postgres: install messages-compile
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=$(POSTGRES_URL) \
		$(RUN) pytest $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(RUN) python scripts/check_translations.py

messages: install
	$(MANAGE) makemessages -l it -l en --ignore=.venv --ignore=node_modules \
		--ignore=var --ignore=tests --no-obsolete
	$(RUN) python scripts/fill_english.py

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$$(openssl rand -hex 40)" ALLOWED_HOSTS=famiglie.example.org \
	DATABASE_URL=$(POSTGRES_URL) REDIS_URL=redis://127.0.0.1:6379/0 \
		$(MANAGE) check --deploy --fail-level WARNING

# Load benchmark on PostgreSQL (never part of `make test`): builds two synthetic
# databases (1,000 and 100,000 services), serves them with gunicorn and writes
# bench/RESULTS.md. See bench/README.md.
BENCH_GENERATE := DJANGO_SETTINGS_MODULE=bench.settings $(RUN) python bench/generate.py
bench: install messages-compile
	@command -v wrk >/dev/null || apt-get install -y -q wrk
	$(MANAGE) collectstatic --noinput -v0
	$(BENCH_GENERATE) --database retefamiglie_bench_1k --services 1000 --events 1000
	$(BENCH_GENERATE) --database retefamiglie_bench_100k --services 100000 --events 10000 \
		--listings 50000 --proposals 10000 --meetings 2000
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(RUN) python bench/run.py $(BENCH_ARGS)
	# 10,000 families' weekly digest through the database worker (bench/DIGEST.md).
	$(RUN) python bench/digest.py --recipients 10000 --workers 2

clean:
	rm -rf var .venv node_modules
