# The two commands of the README. Each creates its own environment (.venv) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: watch run test bench forms check system-watch system-test

# The system packages (LibreOffice, python3-uno, fonts, poppler; for the tests also Samba, Redis,
# PostgreSQL, Chromium) are installed first when missing, as root or with sudo; otherwise
# tools/setup-system.sh prints the one command to run and make stops.
watch: system-watch $(STAMP)  ## start the watcher on the sample campaign (config.toml, local folders, SQLite)
	$(BIN)/docflow --config config.toml watch

test: system-test $(STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest -q

system-watch:
	@sh tools/setup-system.sh watch

system-test:
	@sh tools/setup-system.sh test

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
