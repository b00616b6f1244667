# The verbs people type. Each one bootstraps .venv when it is missing or when
# pyproject.toml or constraints.txt changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.seedpress-installed
TS_DIR := tests/typescript
TS_STAMP := $(TS_DIR)/node_modules/.seedpress-installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup serve build build-zensical check test test-fast bench sysdeps ts-deps gallery-demo placeholders \
	lint clean drift drift-demo

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

## serve: build and serve the site at http://127.0.0.1:8000, reloading on change
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## build: the strict production build into site/ (swapped in only when it succeeded)
build: $(STAMP)
	$(BIN)/seedpress build

## build-zensical: the same site built by Zensical (Material's successor) into site-zensical/
build-zensical: $(STAMP)
	$(BIN)/seedpress build --engine zensical --site-dir site-zensical

## check: the ship check of the sources (CHECK_FLAGS="--format github", "--site site" for built pages)
check: $(STAMP)
	$(BIN)/seedpress check $(CHECK_FLAGS)

## drift: compare fal's model pages (schema and price) with the data (DRIFT_FLAGS="--stamp")
drift: $(STAMP)
	$(BIN)/seedpress drift $(DRIFT_FLAGS)

## drift-demo: every drift scenario against a local fake of fal's model pages (no network)
drift-demo: $(STAMP)
	$(BIN)/python tests/fakes/drift_demo.py

## setup: create .venv and install the pinned packages (what every verb does first)
setup: $(STAMP)

## test: every test, on every core (installs chromium and ffmpeg first when run as root)
test: $(STAMP) sysdeps ts-deps
	$(BIN)/python -m pytest -n auto

## test-fast: the tests that build no whole site and run no browser (under a minute)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

## ts-deps: the pinned TypeScript compiler and client the TypeScript samples are checked with
ts-deps: sysdeps $(TS_STAMP)

$(TS_STAMP): $(TS_DIR)/package.json $(TS_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(TS_DIR) --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "ts-deps: npm is missing (run make sysdeps as root); the TypeScript checks skip"; \
	fi

## sysdeps: the Debian packages the tests need (chromium, ffmpeg, node)
sysdeps:
	@bash scripts/sysdeps.sh

## bench: build and check timings as ratios against a baseline from the same run
bench: $(STAMP) sysdeps
	$(BIN)/python bench/run.py

## gallery-demo: the whole gallery refresh, offline, against the fake fal server (in a temp copy)
gallery-demo: $(STAMP) sysdeps
	$(BIN)/python tests/fakes/gallery_demo.py

## placeholders: local stand-in clips (ffmpeg) for gallery clips fal has not rendered
placeholders: $(STAMP)
	$(BIN)/seedpress gallery placeholders

## lint: ruff over the toolkit and the tests
lint: $(STAMP)
	$(BIN)/ruff check scripts tests bench

clean:
	rm -rf site site-zensical .seedpress .pytest_cache bench/.work artifacts
