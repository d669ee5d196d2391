# Partner Support: `make run` starts everything on the embedded default, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: install run test test-browser lint format bench check-deploy screenshots

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: export DEBUG ?= 1
run: install
	BIN=$(BIN) ./scripts/run-dev.sh

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# The end-to-end tests alone, in headless Chromium (needs `apt-get install -y chromium`; skipped without it).
test-browser: install
	$(BIN)/pytest -m browser -rs $(PYTEST_ARGS)

# The partner's ticket page, the queue and the SLA audit at desktop and phone size, as PNGs in var/screenshots/
# (a database of their own, headless Chromium as for test-browser).
screenshots: install
	$(BIN)/python scripts/screenshots.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@for script in bench/*_bench.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done
