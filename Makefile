# Two commands for a newcomer: `make run` and `make test`. Both call `make setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOLS_STAMP := tools/node_modules/.installed
MO_STAMP := portal/translations/.compiled
KB_INDEX := portal/kb/generated/knowledge_base.sqlite3
KB_SOURCES := $(shell find content/kb -name '*.md' 2>/dev/null) portal/catalog/demo.json

.PHONY: setup run test lint unit integration lock translations clean java chromium

setup: $(STAMP) $(TOOLS_STAMP) $(MO_STAMP) $(KB_INDEX) java chromium

java:
	@bash scripts/ensure-java.sh

chromium:
	@bash scripts/ensure-chromium.sh

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed to build .venv")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(TOOLS_STAMP): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MO_STAMP): $(STAMP) $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
	@$(BIN)/pybabel compile -d portal/translations 2>&1 | sed "s|^compiling catalog .*LC_MESSAGES.*to |compiled |"; test -f portal/translations/fr/LC_MESSAGES/messages.mo
	@touch $@

$(KB_INDEX): $(STAMP) $(KB_SOURCES)
	$(BIN)/portal kb build --out $@

translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k _l -k mark -o portal/translations/messages.pot portal
	$(BIN)/pybabel update -N -i portal/translations/messages.pot -d portal/translations

run: setup
	$(BIN)/portal dev

lint: setup
	$(BIN)/ruff check --no-cache .

test: setup
	$(BIN)/ruff check --no-cache .
	$(BIN)/pytest

unit: setup
	$(BIN)/pytest -m "not integration"

integration: setup
	$(BIN)/pytest -m integration

# Load, faults and the peer comparison (about 12 minutes on a shared 2-core machine); figures in bench/results/.
.PHONY: bench
bench: setup
	$(BIN)/python bench/load.py
	$(BIN)/python bench/faults.py
	$(BIN)/python bench/peer.py

lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) tools/node_modules build dist .pytest_cache .ruff_cache portal/kb/generated/*.sqlite3
