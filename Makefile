# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app awareness
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install browser-tools run test lint format bench loadtest audit translations compile-translations screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## axe-core for the browser tests (tests/browser/), from package-lock.json. Without npm the
## browser tests skip, saying so (CI makes them required: .ci/run).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests will skip (apt-get install npm)"; fi

browser-tools: node_modules/.installed

## Prepare the database and content, load the demo when empty, and serve.
## Emails go to instance/outbox/ as .eml files unless AWARENESS_SMTP_HOST is set.
run: export AWARENESS_BASE_URL ?= http://$(HOST):$(PORT)
run: install compile-translations
	$(FLASK) db upgrade
	$(FLASK) content sync
	$(FLASK) demo load --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

## Run every test (and the linter); the browser tests need Chromium (tests/browser/conftest.py).
test: lint browser-tools compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

## Lint and format check, bandit (no finding of medium severity or above in awareness/) and
## mypy (strict on the domain packages: see pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --recursive --quiet --severity-level medium awareness
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/reminders.py $(BENCH_ARGS)
	$(BIN)/python bench/imports.py $(BENCH_ARGS)

## gunicorn (4 workers) under 50 clients submitting attempts while content syncs run:
## SQLite, and PostgreSQL too when DATABASE_URL names one (bench/README.md).
loadtest: install
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

## Known vulnerabilities in the installed dependencies (pip-audit; needs the network).
audit: install
	$(BIN)/pip install --quiet -e '.[audit]'
	$(BIN)/pip-audit --skip-editable --strict

## Bring the interface's catalogues up to date with the source (docs/translating.md): extract
## every marked string into awareness/translations/messages.pot (generated, not committed),
## then merge it into each language's messages.po, keeping what is translated. A new string
## arrives untranslated and a changed one fuzzy: tests/test_translations.py fails until a
## translator has seen each. A language in TRANSLATION_LANGUAGES without a catalogue gets one.
TRANSLATIONS := awareness/translations
TRANSLATION_LANGUAGES ?= ur
## Besides pybabel's own (_, gettext, ngettext, pgettext...); tests/test_translations.py reads it.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2
translations: install
	mkdir -p $(TRANSLATIONS)
	$(BIN)/pybabel --quiet extract -F babel.cfg $(BABEL_KEYWORDS) --add-location=file \
		--project=Awareness -o $(TRANSLATIONS)/messages.pot awareness
	@for language in $(TRANSLATION_LANGUAGES); do \
		test -f $(TRANSLATIONS)/$$language/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$language; \
	done
	$(BIN)/pybabel --quiet update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--previous --ignore-obsolete --ignore-pot-creation-date
	@$(BIN)/python -m pytest -p no:cacheprovider -q tests/test_translations.py || \
		echo "Translate the entries above in $(TRANSLATIONS)/*/LC_MESSAGES/messages.po"

## Compile the catalogues into the .mo files the application reads (not committed).
compile-translations: install
	@if ls $(TRANSLATIONS)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel --quiet compile -d $(TRANSLATIONS); fi

## The README's screenshots (docs/screenshots/): learner and dashboard, English and Urdu.
screenshots: install compile-translations
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache node_modules
