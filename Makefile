# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app awareness
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run serve test lint format bench translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Prepare the database and content, load the demo when empty, and serve.
run: install
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

## Extract user-facing strings and compile translations.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o awareness/translations/messages.pot .
	$(BIN)/pybabel compile -f -d awareness/translations || true

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
