# One entry point for set-up, the demo and the tests. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INDEX ?= .whosaid/index

.PHONY: demo test lint typecheck install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# pip compiles what it installs but not an editable project: without this, every
	@# process (CLI, fork server, index writers) compiles our modules again where
	@# PYTHONDONTWRITEBYTECODE is set (about 0.1 s each).
	$(BIN)/python -m compileall -q archive index tui
	@touch $(STAMP)

install: $(STAMP)

## Build the index from seeds/ and open the TUI (or print a search without a terminal).
demo: $(STAMP)
	$(BIN)/whosaid build seeds --index $(INDEX)
	@if [ -t 0 ] && [ -t 1 ]; then $(BIN)/whosaid tui --index $(INDEX); \
	else $(BIN)/whosaid search border --index $(INDEX) && $(BIN)/whosaid quotes --speaker kirby --index $(INDEX); fi

## Lint, type-check and run the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -q

clean:
	rm -rf $(VENV) .whosaid .pytest_cache .mypy_cache .ruff_cache
