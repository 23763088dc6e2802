# GreenCommunity. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
GC := $(VENV)/bin/greencommunity
export UV_PYTHON ?= 3.12

.PHONY: help install install-dev run serve test test-pg bench lint typecheck messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.8"

install: uv ## Set up only: .venv (locked deps), npm assets, database, static files
	@$(UV) sync --frozen --no-dev --quiet
	@$(MAKE) --no-print-directory assets
	@$(GC) migrate --no-input -v 0
	@$(GC) collectstatic --no-input -v 0

install-dev: uv
	@$(UV) sync --frozen --quiet
	@$(MAKE) --no-print-directory assets
	@bash scripts/system-deps.sh

assets:
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi

run: install ## Set up, load the demo data when the database is empty, serve on 127.0.0.1:$(PORT)
	@$(GC) load_demo --if-empty
	@bash scripts/serve.sh $(PORT)

test: install-dev ## Set up with dev tools and Debian packages, then run the whole suite
	@$(VENV)/bin/pytest

bench: install-dev ## Run the benchmarks (results: docs/benchmarks.md)
	@$(VENV)/bin/python -m bench

lint: install-dev ## ruff check, ruff format --check, djhtml
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@find src -name '*.html' -print0 | xargs -0 $(VENV)/bin/djhtml --check

typecheck: install-dev ## mypy with django-stubs
	@$(VENV)/bin/mypy src

messages: install-dev ## Refresh the translation catalogues (needs GNU gettext)
	@cd src/greencommunity && ../../$(GC) makemessages -l zh_Hans -l en --no-obsolete -i "settings*" && ../../$(GC) compilemessages
