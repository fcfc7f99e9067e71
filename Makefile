# Two commands do all the set-up: `make run` starts Ponte, `make test` runs every check.
# Each makes the virtual environment and installs the project first, when needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run console demo demo-en test lint typecheck pytest bench migrate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres]"
	touch $(STAMP)

run: install          ## Discord and/or Slack when their tokens are set, else the console
	$(BIN)/python -m bot run

console: install      ## the terminal community, interactive
	$(BIN)/python -m bot console

demo: install         ## the scripted demo, in Italian, on a fresh database
	rm -f demo-it.db demo-it.db-wal demo-it.db-shm
	$(BIN)/python -m bot console --script docs/demo/demo-it.txt --lang it --database sqlite+aiosqlite:///demo-it.db

demo-en: install      ## the scripted demo, in English, on a fresh database
	rm -f demo-en.db demo-en.db-wal demo-en.db-shm
	$(BIN)/python -m bot console --script docs/demo/demo-en.txt --lang en --database sqlite+aiosqlite:///demo-en.db

migrate: install
	$(BIN)/python -m bot migrate

lint: install
	$(BIN)/ruff check bot cogs tests migrations benchmarks
	$(BIN)/ruff format --check bot cogs tests migrations benchmarks

typecheck: install
	$(BIN)/mypy

pytest: install       ## the suite on SQLite, then its database-neutral tests again on PostgreSQL
	$(BIN)/python -m pytest
	PONTE_TEST_DATABASE=postgresql $(BIN)/python -m pytest

test: lint typecheck pytest   ## everything CI runs

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis demo-*.db
