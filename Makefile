# The two commands of the README. Each creates its own environment (.venv) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: watch run test bench forms check

watch: $(STAMP)  ## start the watcher on the sample campaign (config.toml, local folders, SQLite)
	$(BIN)/docflow --config config.toml watch

test: $(STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest -q

run: $(STAMP)
	$(BIN)/docflow --config config.toml run

bench: $(STAMP)  ## measure speed, memory and scale; writes bench/RESULTS.md (10–15 min)
	$(BIN)/python bench/run.py

check: $(STAMP)
	$(BIN)/docflow --config config.toml check

forms: $(STAMP)
	$(BIN)/docflow --config config.toml forms

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)
