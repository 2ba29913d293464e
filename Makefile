# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app awareness
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint format bench translations compile-translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Prepare the database and content, load the demo when empty, and serve.
run: install compile-translations
	$(FLASK) db upgrade
	$(FLASK) content sync
	$(FLASK) demo load --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

## Run every test (and the linter).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## Extract user-facing strings into the template translators start from.
translations: install
	mkdir -p awareness/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -o awareness/translations/messages.pot .

## Compile the translations there are (the .mo files are not committed).
compile-translations: install
	@if ls awareness/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d awareness/translations; fi

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
