# Haven: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_ENV := HAVEN_DEMO=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint bench bench-linkage messages clean-demo e2e screenshots

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Create the environment, migrate the SQLite database in var/, load reference and demo data, serve.
demo: install
	$(DEMO_ENV) $(BIN)/haven migrate --noinput
	$(DEMO_ENV) $(BIN)/haven load_demo
	$(MAKE) serve

serve: install
	$(DEMO_ENV) $(BIN)/haven runserver $(HOST):$(PORT)

## The whole test suite (DATABASE_URL picks PostgreSQL; SQLite otherwise).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench e2e
	$(BIN)/ruff format --check src tests bench e2e

## Recompile locale .mo files from the .po files (pure Python, no GNU gettext needed).
messages: install
	$(BIN)/haven compile_translations

bench: install
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[bench]"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-linkage: install
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[bench]"
	$(BIN)/python bench/linkage/run.py

clean-demo:
	rm -f var/haven.sqlite3 var/demo-secrets.json
	rm -rf var/files

## Browser journeys (Playwright + Debian's chromium) on a real server, in Vietnamese and English.
e2e: install
	$(BIN)/python -m pytest e2e $(PYTEST_ARGS)

## The journeys again, keeping a picture of every page they check in screenshots/.
screenshots: install
	rm -rf screenshots
	HAVEN_E2E_SCREENSHOTS=1 $(BIN)/python -m pytest e2e $(PYTEST_ARGS)
