# Portal Kinerja ASN Kota Bandung — the two commands a new machine needs: `make run`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev messages compilemessages lint format check e2e clean bench

# --- installation (idempotent: each step re-runs only when its inputs change) -------------

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 tidak ditemukan (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
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

test: install-dev $(MO_FILES)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

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
	rm -rf staticfiles .pytest-db.sqlite3 test-artifacts
