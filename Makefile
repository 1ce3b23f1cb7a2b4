# Two commands for a fresh machine (README):
#   make run   venv (pinned) + sample raw data if missing, dbt build, Great Expectations
#              suites, then an atomic publication for BI (publish/current)
#   make test  everything CI checks: ruff and sqlfluff first (fast), then the above,
#              the HTML report, dbt docs, Debian's chromium for the browser test, pytest
# Other targets: make report (reports/index.html from publish/current), make docs.
# DBT_VARS='{traffic_source: published, ...}' passes vars to the build.
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
PUBLISH := publish
REPORT := reports/index.html
DBT_VARS ?=
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test venv sample build quality publish report docs browser lint pytest sqlfluff clean spark

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

# --full-refresh: a seed whose columns changed is recreated, not appended to (every model
# is a table rebuilt anyway)
build: venv sample
	$(BIN)/dbt build --full-refresh $(if $(DBT_VARS),--vars '$(DBT_VARS)')

# Great Expectations suites on the marts (read-only), and their drift against the
# current publication (same settings only); a failing expectation fails
quality: build
	$(BIN)/python -m analysis_py.quality --db $(DB) --json $(QUALITY_RESULTS) \
		--previous $(PUBLISH)/current

# BI reads publish/current: swapped in atomically, only after the build and the suites
publish: quality
	$(BIN)/python -m analysis_py.publish --db $(DB) --target target \
		--out $(PUBLISH) --quality $(QUALITY_RESULTS)

run: publish

# the paper's figures and tables, self-contained HTML, from the publication only
report: publish
	$(BIN)/python -m analysis_py.report --publication $(PUBLISH)/current --out $(REPORT)

# dbt's documentation site (models, columns, tests, exposures) as one file that opens
# from the file system: target/docs/static_index.html. It reads the build database
# (built first if missing) and writes only under target/docs, so the last build's
# run_results.json, and with it the next publication, are left as they are.
DOCS := target/docs
docs: venv
	test -f $(DB) || $(MAKE) build
	$(BIN)/dbt docs generate --static --target-path $(DOCS) $(if $(DBT_VARS),--vars '$(DBT_VARS)')
	@echo "open $(DOCS)/static_index.html"

# The same marts with the NetMob spine on Spark (dbt-spark, a local session unless
# CPC_SPARK_MASTER says otherwise; README "Spark"), in three stages
# (analysis_py/spark_path.py), then the suites and the publication as `make run` does:
#   1. DuckDB: the tile -> commune allocation and the file listing (its tests stop a
#      missing file here, named), handed over to Spark as Parquet;
#   2. Spark: the strict parse (a non-numeric value or a short row fails naming the
#      file), tile totals, commune days, the outage filter, hours, logs, hour pairs,
#      correlations;
#   3. DuckDB: everything else, reading Spark's tables through models/intermediate/imports.
SPARK_WORK := target/spark-path
spark: venv sample
	$(BIN)/python -m analysis_py.spark_path --workdir $(SPARK_WORK) --vars '$(DBT_VARS)'
	$(BIN)/python -m analysis_py.quality --db $(SPARK_WORK)/cpc_tor.duckdb \
		--json $(SPARK_WORK)/gx_results.json --previous $(PUBLISH)/current
	$(BIN)/python -m analysis_py.publish --db $(SPARK_WORK)/cpc_tor.duckdb \
		--target $(SPARK_WORK)/target --out $(PUBLISH) --quality $(SPARK_WORK)/gx_results.json

# Debian's chromium for the report's browser test (installed once)
browser:
	test -x $(CHROMIUM) || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium)

# two workers, whole modules each (a module's dbt fixtures build once, on one worker)
pytest: publish report browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# the sample first: some staging models read a file header while compiling
sqlfluff: venv sample
	$(BIN)/python tests/lint_sql.py --processes 2

test: lint sqlfluff publish report docs browser pytest

clean:
	rm -rf target logs $(PUBLISH) reports $(SAMPLE)
