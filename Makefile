# Two commands on a fresh machine:
#   make run    # install into .venv and start the reader UI on http://127.0.0.1:7860
#   make test   # install what the tests need (incl. Chromium for browser tests) and run them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch; override e.g. TORCH_SPEC='torch==2.13.0+cu128' for a GPU.
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test lint install install-dev browser fixture bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[ct2]"

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[dev]"

run: install
	$(BIN)/python ui.py

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install-dev browser lint
	$(BIN)/python -m pytest

fixture: install-dev
	$(BIN)/python scripts/train_fixture_model.py

bench: install-dev
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
