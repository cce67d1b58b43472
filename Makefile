# Two commands on a fresh machine:
#   make build   installs the pinned environment and builds everything from data/places.csv
#   make test    installs the test tools too and runs the whole test suite
# Everything is installed from the pinned versions in constraints.txt and package-lock.json.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
NOTEBOOK := notebooks/explore_partnerships.ipynb
NOTEBOOK_STAMP := $(VENV)/.notebook-stamp

.PHONY: build test lint format docs golden notebook system-deps clean wheel

# geo's modules compiled to bytecode, as an installed package has them: the editable install has
# none, and where PYTHONDONTWRITEBYTECODE is set every process of every run would compile them.
build: $(STAMP)
	$(BIN)/python -m compileall -q geo
	$(BIN)/geo build

test: $(STAMP) $(NODE_STAMP) system-deps
	$(BIN)/ruff check geo tests benchmarks scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check geo tests benchmarks scripts
	$(BIN)/ruff format --check geo tests benchmarks scripts

# The generated tables of data/README.md (columns, properties, problem codes), from the code.
docs: $(STAMP)
	$(BIN)/python scripts/make_docs.py

# Rewrite the golden files (tests/golden/) from the current outputs: first say what changes in
# meaning (features, properties, rows, triples, the text people see), then rewrite; review both.
golden: $(STAMP)
	$(BIN)/python -m tests.golden_changes
	$(BIN)/python -m pytest -q tests/test_golden.py tests/web/test_render.py --update-golden -k golden

format: $(STAMP)
	$(BIN)/ruff format geo tests benchmarks scripts

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	@# (the distribution was called `geo` before it took its PyPI name, city-partnerships)
	$(BIN)/python -m pip uninstall --quiet --yes geo 2>/dev/null || true
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $@

# The analysts' notebook: installs pinned JupyterLab (the [notebook] extra) and opens the notebook.
# Where no browser can open it (CI=true, or `make notebook RUN=1`), it runs it top to bottom
# instead (nbclient; the committed notebook stays without outputs) and fails if a cell fails.
notebook: $(NOTEBOOK_STAMP)
ifeq ($(RUN)$(CI),)
	$(BIN)/jupyter lab $(NOTEBOOK)
else
	$(BIN)/jupyter execute $(NOTEBOOK)
endif

$(NOTEBOOK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[notebook]"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The wheel of the distribution city-partnerships (command and import package `geo`), in dist/:
# every template, script, catalogue and the basemap inside. `pipx install dist/*.whl` installs it.
wheel: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

# System packages that tests need (Debian's chromium for the browser tests).
system-deps:
	bash scripts/install-system-deps.sh

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
