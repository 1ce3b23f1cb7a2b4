# Two commands for a fresh machine (README):
#   make run   venv (pinned) + sample raw data if missing, dbt build, Great Expectations
#              suites, then an atomic publication for BI (publish/current)
#   make test  everything CI checks: the above, pytest, ruff, sqlfluff
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := data/raw_sample
SAMPLE_SEED := 20190316
STAMP := $(VENV)/.installed-stamp
SAMPLE_MANIFEST := $(SAMPLE)/_truth/manifest.json

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PYTHONDONTWRITEBYTECODE := 1

QUALITY_RESULTS := target/gx_results.json
DB := $(or $(CPC_DUCKDB_PATH),target/cpc_tor.duckdb)

.PHONY: run test venv sample build quality publish lint pytest sqlfluff clean

venv: $(STAMP)

# reinstall only when the pins or the package metadata change
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

sample: $(SAMPLE_MANIFEST)

# regenerated only when missing or when the generator changes
$(SAMPLE_MANIFEST): $(STAMP) $(wildcard analysis_py/synth/*.py)
	$(BIN)/python -m analysis_py.synth --out $(SAMPLE) --seed $(SAMPLE_SEED)

build: venv sample
	$(BIN)/dbt build

# Great Expectations suites on the marts (read-only); a failing expectation fails
quality: build
	$(BIN)/python -m analysis_py.quality --db $(DB) --json $(QUALITY_RESULTS)

# BI reads publish/current: swapped in atomically, only after the build and the suites
publish: quality
	$(BIN)/python -m analysis_py.publish --db $(DB) --target target \
		--out publish --quality $(QUALITY_RESULTS)

run: publish

pytest: publish
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

sqlfluff: venv
	$(BIN)/sqlfluff lint models tests

test: publish pytest lint sqlfluff

clean:
	rm -rf target logs publish $(SAMPLE)
