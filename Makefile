# Klyngeportal: `make run` serves the site on the embedded default,
# `make test` runs the whole suite. See README.md.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# uv from the PATH, or else a private copy installed from PyPI into .cache/.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.cache/uv/bin/uv)
export UV_PYTHON_DOWNLOADS := never
RUN := $(UV) run --frozen

.PHONY: run test lint format services stop-services install assets messages migrate demo bench bench-production prod-up prod-down clean

$(CURDIR)/.cache/uv/bin/uv:
	$(PYTHON) -m venv .cache/uv
	.cache/uv/bin/pip install --quiet "uv==$(UV_VERSION)"

## Python environment from the lock file (uv.lock).
install: $(UV)
	$(UV) sync --frozen --python $(PYTHON)

## Front-end assets (Det Fælles Designsystem) from the npm lock file, and the
## test tools axe-core and vnu-jar (dev dependencies). No install scripts:
## vnu-jar's may fetch a Java runtime; the tests use the machine's JDK.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
assets: node_modules/.package-lock.json

## The package's message catalogues (klynge_pages/locale/*.po, Danish for
## Wagtail's admin) compiled to .mo with Debian's gettext. From klynge_pages/
## so that compilemessages finds only these catalogues, not those in .venv/.
messages: install
	cd klynge_pages && $(RUN) python ../manage.py compilemessages --locale da

migrate: install
	$(RUN) python manage.py migrate --noinput

demo: migrate messages
	$(RUN) python manage.py load_demo

run: install assets messages demo
	$(RUN) python manage.py runserver $(HOST):$(PORT)

## The whole suite. Uses DATABASE_URL and ELASTICSEARCH_URL when they are set.
test: install assets messages lint
	$(RUN) python manage.py check --fail-level WARNING
	$(RUN) python manage.py makemigrations --check --dry-run
	$(RUN) python -m pytest $(PYTEST_ARGS)

TEMPLATE_DIRS := templates $(wildcard */templates)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djhtml --check $(TEMPLATE_DIRS)

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .
	$(RUN) djhtml $(TEMPLATE_DIRS)

## Benchmarks (figures go to docs/benchmarks.md). Uses DATABASE_URL when set.
## The search benchmark needs Elasticsearch: ELASTICSEARCH_URL, or else the
## local node (started if needed). `make bench BENCH_ITEMS=10000` for a
## smaller corpus than the 100,000 agenda items.
BENCH_ITEMS ?= 100000
bench: install assets
	$(RUN) python -m bench.pages
	$(RUN) python -m bench.oparl
	$(RUN) python -m bench.exports
	@if [ -z "$$ELASTICSEARCH_URL" ]; then scripts/elasticsearch.sh start; fi
	ELASTICSEARCH_URL=$${ELASTICSEARCH_URL:-http://127.0.0.1:9200} \
		$(RUN) python -m bench.search --items $(BENCH_ITEMS)
	$(MAKE) bench-production

## The production topology under load (started if it is not running, and
## stopped again then): the meeting page through the caching proxy and
## straight from an app server, and Redis against PostgreSQL as the cache.
bench-production: install
	@if scripts/production.sh status >/dev/null 2>&1; then started=; \
	else scripts/production.sh up && started=1; fi; \
	$(RUN) python -m bench.production && $(RUN) python -m bench.cache; status=$$?; \
	if [ -n "$$started" ]; then scripts/production.sh down; fi; exit $$status

## The production topology on 127.0.0.1 (docs/operations.md): PostgreSQL,
## three Elasticsearch nodes, Redis, two app servers, the task worker, the
## scheduler, Varnish and nginx on http://127.0.0.1:8080/.
prod-up:
	scripts/production.sh up

prod-down:
	scripts/production.sh down

## Real PostgreSQL and Elasticsearch on 127.0.0.1 for development.
services:
	@url=$$(scripts/postgresql.sh start) && scripts/elasticsearch.sh start && \
	echo && echo "Use them with:" && \
	echo "  export DATABASE_URL=$$url" && \
	echo "  export ELASTICSEARCH_URL=http://127.0.0.1:9200"

stop-services:
	scripts/elasticsearch.sh stop
	scripts/postgresql.sh stop

clean:
	rm -rf .venv node_modules var staticfiles .pytest_cache .ruff_cache test-artifacts
