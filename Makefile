# Everything a new machine needs is installed from here: a virtual environment
# in .venv (torch's CPU build first), Debian's chromium for the browser tests,
# and axe-core from npm. Targets are idempotent; stamps make repeats cheap.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0

.PHONY: install serve test check lint bench eval clean test-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# The Swedish thesaurus (index/thesaurus.py): Debian's mythes-sv, Viggo Kann's Synlex.
THESAURUS := /usr/share/mythes/th_sv_SE_v2.dat
install: $(STAMP)
	@test -f $(THESAURUS) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends mythes-sv)

serve: install
	$(BIN)/kb serve

# Debian packages the tests drive for real: chromium + chromedriver (browser test),
# LibreOffice (fixture PDFs), poppler (PDF checks); axe-core from npm.
DEBS := chromium chromium-driver libreoffice-writer-nogui poppler-utils fonts-dejavu-core
test-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && \
	  command -v soffice >/dev/null && command -v pdftoppm >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(DEBS))
	@test -f node_modules/axe-core/axe.min.js || npm ci --silent --no-audit --no-fund

test: install test-deps
	$(BIN)/ruff check .
	$(BIN)/pytest -q

# The development loop: ruff + the tests that need no real index, browser or bench.
check: install
	$(BIN)/ruff check .
	$(BIN)/pytest -q -m "not slow and not browser"

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/kb bench --scale 1

eval: install
	$(BIN)/kb eval ../shared/eval/dev.jsonl

clean:
	rm -rf $(VENV) var node_modules
