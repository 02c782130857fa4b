# Everything a new machine needs is installed from here: a virtual environment
# in .venv (torch's CPU build first), Debian's chromium for the browser tests,
# and axe-core from npm. Targets are idempotent; stamps make repeats cheap.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0

.PHONY: install serve test lint bench eval clean browser-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/kb serve

browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium chromium-driver libreoffice-writer-nogui fonts-dejavu-core)
	@test -f node_modules/axe-core/axe.min.js || npm install --silent --no-audit --no-fund

test: install browser-deps
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/kb bench --scale 1

eval: install
	$(BIN)/kb eval ../shared/eval/dev.jsonl

clean:
	rm -rf $(VENV) var node_modules
