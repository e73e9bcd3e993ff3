# Quick start: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := run.py

.PHONY: run test e2e lint bench install migrate seed translations clean

# The virtualenv is rebuilt whenever the pinned requirements change.
$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	SIAP_ENV=$${SIAP_ENV:-development} $(BIN)/flask db upgrade

seed: migrate
	SIAP_ENV=$${SIAP_ENV:-development} $(BIN)/flask siap seed-demo

run: seed
	SIAP_ENV=$${SIAP_ENV:-development} $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests (tests/e2e, a few minutes): Playwright drives Debian's Chromium
# (/usr/bin/chromium) against gunicorn on 127.0.0.1; screenshots in test-artifacts/e2e/.
e2e: install
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# Style, then the layers' import contracts ([tool.importlinter] in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Regency-scale benchmarks on a fresh PostgreSQL database (127.0.0.1:5432, user postgres);
# writes bench/RESULTS.md.
bench: install
	$(BIN)/python -m bench.run

# Re-extract and compile the message catalogs after changing user-visible strings.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output -o translations/messages.pot app models views api $(shell $(BIN)/python -c 'import flask_appbuilder, os; print(os.path.dirname(flask_appbuilder.__file__))')
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l id --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations -D messages
	$(BIN)/pybabel compile -d translations -D wtforms

clean:
	rm -rf $(VENV) instance/*.db
