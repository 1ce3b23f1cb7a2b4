# Two commands for a fresh machine (README):
#   make run   venv (pinned) + sample raw data if missing, then dbt build
#   make test  everything CI checks: dbt build with all data tests, pytest, ruff, sqlfluff
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

.PHONY: run test venv sample build lint pytest sqlfluff clean

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

run: build

pytest: venv sample
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

sqlfluff: venv
	$(BIN)/sqlfluff lint models tests

test: build pytest lint sqlfluff

clean:
	rm -rf target logs $(SAMPLE)
