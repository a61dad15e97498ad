# Portal Kinerja ASN Kota Bandung — the two commands a new machine needs: `make run`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev messages compilemessages lint format check e2e clean bench bench-small city

# --- installation (idempotent: each step re-runs only when its inputs change) -------------

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 tidak ditemukan (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The venv module seeds an old pip and setuptools (3.11: setuptools 65.5, with fixed advisories
# that scripts/audit.py reports): upgrade the packaging tools themselves, in new and old venvs.
$(VENV)/.installed-tools: | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	@touch $@

$(VENV)/.installed-runtime: requirements.txt | $(VENV)/.installed-tools
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/.installed-tools
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed-runtime node_modules/.package-lock.json
install-dev: $(VENV)/.installed-dev node_modules/.package-lock.json

# Compiled catalogues are build output: made from locale/*/LC_MESSAGES/django.po.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
MO_FILES += $(patsubst %.po,%.mo,$(wildcard locale/*/*/LC_MESSAGES/*.po))
%.mo: %.po $(VENV)/.installed-runtime
	$(PY) -c "import polib,sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

messages: $(VENV)/.installed-runtime
	$(PY) scripts/messages.py

compilemessages: $(MO_FILES)

# --- the two contracts ---------------------------------------------------------------------

run: export DJANGO_DEBUG ?= 1
run: install $(MO_FILES)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Portal siap di http://$(HOST):$(PORT)  (akun demo: lihat README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# In parallel (pytest-xdist): one worker per core, each with its own test database (pytest-django
# adds gw0, gw1... to its name) and, in a shared Redis, its own key prefix (portal/settings/integrations.py).
# `--dist load` hands tests out in collection order, so each worker runs its browser tests
# after its other tests (tests/e2e/conftest.py). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
test: install-dev $(MO_FILES)
	@start=$$(date +%s); status=0; \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS) || status=$$?; \
	took=$$(( $$(date +%s) - start )); \
	echo "make test: selesai dalam $$(( took / 60 )) menit $$(( took % 60 )) detik (kode keluar $$status)"; \
	exit $$status

# --- tooling ---------------------------------------------------------------------------------

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install-dev $(MO_FILES)
	DJANGO_DEBUG=1 $(PY) manage.py check
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf staticfiles .pytest-db.sqlite3* test-artifacts

# --- benchmarks (DESIGN §6; PostgreSQL db portal_bench + Redis db 8 by default, override with
# DATABASE_URL / REDIS_URL). Each script prints one `NAME: ratio=R project=... baseline=...` line.

BENCH_DB ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_ENV = DATABASE_URL=$(BENCH_DB) REDIS_URL=$${BENCH_REDIS:-redis://127.0.0.1:6379/8}
BENCH = $(BENCH_ENV) $(PY) -m benchmarks

bench-db: install-dev
	@psql "$(BENCH_DB)" -c "select 1" >/dev/null 2>&1 || createdb -d "$$(dirname $(BENCH_DB))/postgres" "$$(basename $(BENCH_DB))" 2>/dev/null || psql "$$(dirname $(BENCH_DB))/postgres" -c "create database $$(basename $(BENCH_DB))"
	$(BENCH_ENV) DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0

bench: bench-db $(MO_FILES)
	$(BENCH).bench_fanout --sockets 500 --awards 20
	$(BENCH).bench_fanout --sockets 2000 --awards 20
	$(BENCH).bench_fanout --sockets 2000 --awards 20 --trigger post
	@# 20,200 client sockets: spread over as many driver processes as the open-file limit needs (--drivers)
	-$(BENCH).bench_fanout --sockets 10000 --awards 20 --processes 4
	$(BENCH).bench_memory --sockets 2000
	$(BENCH).bench_ranking --users 2000 --entries 100000 --requests 300
	$(BENCH).bench_ranking --users 20000 --entries 1000000 --requests 300
	$(BENCH).bench_submission --seconds 10 --rounds 4 --concurrency 4
	$(BENCH).bench_deadline --sockets 2000 --seconds 40 --speedup 2
	$(BENCH).bench_story --requests 300
	$(BENCH).bench_import --rows 16000 --rounds 3
	@psql "$(CITY_DB)" -tAc "select 1 from portal_user where email like '%kota.bench.local' limit 1" 2>/dev/null | grep -q 1 || $(MAKE) city
	$(BENCH).bench_city_pages --requests 60 --city-db $(CITY_DB)
	$(BENCH).bench_city_exports --city-db $(CITY_DB)

# A whole generated Bandung (16,000 people, a year of reports) in its own database, portal_city.
CITY_DB ?= postgres://postgres@127.0.0.1:5432/portal_city
city: install-dev
	psql "$$(dirname $(CITY_DB))/postgres" -q -c "drop database if exists $$(basename $(CITY_DB))" -c "create database $$(basename $(CITY_DB))"
	DATABASE_URL=$(CITY_DB) DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(CITY_DB) DJANGO_SETTINGS_MODULE=benchmarks.settings $(PY) manage.py generate_city --people $${CITY_PEOPLE:-16000}

bench-small: bench-db $(MO_FILES)
	$(BENCH).bench_fanout --sockets 100 --awards 5
	$(BENCH).bench_memory --sockets 100
	$(BENCH).bench_ranking --users 500 --entries 10000 --requests 30
	$(BENCH).bench_submission --seconds 1 --rounds 2 --concurrency 2
	$(BENCH).bench_deadline --sockets 100 --kiosks 2 --seconds 5 --speedup 1 --workers 2
	$(BENCH).bench_story --requests 30
	$(BENCH).bench_import --rows 1000 --rounds 1
