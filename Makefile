# cpc_tor: `make help` lists the targets. The README's two commands:
#   make run   .venv (pinned) + the sample raw data if missing, dbt build, the Great
#              Expectations suites, then an atomic publication for BI (publish/current)
#   make test  everything CI checks: `make check`, the above, the report, the docs,
#              Debian's chromium for the browser test, and the integration tests
# DBT_VARS='{traffic_source: published, ...}' passes vars to the build.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# the interpreter the virtual environment is made with: Python 3.11, 3.12 or 3.13
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CPC := $(BIN)/cpc-tor
SAMPLE := data/raw_sample
SAMPLE_SEED := 20190316
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
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.txt

.PHONY: help run test check venv venv-dev venv-spark sample build quality publish report \
	docs browser lint sqlfluff sqlfluff-changed unit integration integration-inputs clean spark \
	venv-test

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

# ------------------------------------------------------------------ environment
# The .venv is made by $(PYTHON) (3.11-3.13, checked first); a .venv made by another
# Python, or left broken by an interrupted install, is removed and made again, saying
# so. The package installs with its runtime dependencies only (`make run`); `make check`
# and `make test` add the dev extra, `make spark` the spark extra; requirements.txt is
# the full lock, used as constraints: every install takes the locked versions.
PY_OK := import sys; v = sys.version_info[:2]; print("%d.%d" % v); sys.exit(0 if (3, 11) <= v <= (3, 13) else 1)
define make_venv
	@want=$$($(PYTHON) -c '$(PY_OK)') || { \
		echo "make: $(PYTHON) is Python $${want:-(not found)}; cpc_tor needs Python 3.11, 3.12 or 3.13: run make PYTHON=python3.12 (or another of them)" >&2; \
		exit 1; }; \
	if [ -e $(VENV) ]; then \
		have=$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
		if [ "$$have" != "$$want" ]; then \
			echo "make: $(VENV) was made by Python $${have:-(none: it is broken)}, not by $(PYTHON) ($$want): making it again" >&2; \
			rm -rf $(VENV); \
		fi; \
	fi; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
endef

$(VENV)/.stamp-run: requirements.txt pyproject.toml
	$(make_venv)
	$(PIP) -e . || { rm -rf $(VENV); echo "make: installing the package failed; $(VENV) removed"; exit 1; }
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-run
	$(PIP) -e '.[dev]' || { rm -f $@; echo "make: installing the dev extra failed"; exit 1; }
	touch $@

$(VENV)/.stamp-spark: $(VENV)/.stamp-run
	$(PIP) -e '.[spark]' || { rm -f $@; echo "make: installing the spark extra failed"; exit 1; }
	touch $@

# make test needs both extras: one pip run when neither is installed yet
venv-test: $(VENV)/.stamp-run
	@if [ ! -f $(VENV)/.stamp-dev ] && [ ! -f $(VENV)/.stamp-spark ]; then \
		echo "$(PIP) -e '.[dev,spark]'"; \
		$(PIP) -e '.[dev,spark]' || { echo "make: installing the dev and spark extras failed"; exit 1; }; \
		touch $(VENV)/.stamp-dev $(VENV)/.stamp-spark; \
	fi
	@$(MAKE) -s --no-print-directory venv-dev venv-spark

venv: $(VENV)/.stamp-run ## the virtual environment with the package (runtime)
venv-dev: $(VENV)/.stamp-dev ## the same with the tests and linters
venv-spark: $(VENV)/.stamp-spark ## the same with dbt-spark and pyspark

sample: $(SAMPLE_MANIFEST) ## the synthetic sample raw data (data/raw_sample)

# regenerated only when missing or when the generator changes
$(SAMPLE_MANIFEST): $(VENV)/.stamp-run $(wildcard analysis_py/synth/*.py)
	$(CPC) synth --out $(SAMPLE) --seed $(SAMPLE_SEED) --quiet

# ------------------------------------------------------------------ the pipeline
# incremental: the NetMob parse reads only new or changed files (README "Incremental
# ingestion"), every other model is a table rebuilt, seeds are recreated;
# DBT_ARGS=--full-refresh reads every file again
DBT_ARGS ?=
# A build of the sample is made again only when something it reads changed since the
# last one made here: a file under the folders of BUILD_INPUTS (added, edited or
# removed), the sample or the virtual environment; or when the database or the stamp is
# missing, or when another dbt invocation wrote target/run_results.json since (the stamp
# holds its checksum). A build with DBT_VARS, DBT_ARGS or CPC_DUCKDB_PATH (a user's raw
# folder or database) always runs, and so does `make build FORCE_BUILD=1`.
BUILD_STAMP := target/.build-stamp
BUILD_INPUTS := models macros seeds tests/generic tests/singular analysis_py dbt_project.yml \
	profiles.yml $(SAMPLE) $(VENV)/.stamp-run
FORCE_BUILD ?=
DBT_BUILD = $(BIN)/dbt build $(DBT_ARGS) $(if $(DBT_VARS),--vars '$(DBT_VARS)')
# non-empty when the build is not the sample's with the defaults (it always runs)
BUILD_OTHER = $(DBT_VARS)$(DBT_ARGS)$(CPC_DUCKDB_PATH)
build: venv sample ## dbt build (models and tests) on the sample, or on DBT_VARS' raw_dir
	@if [ -z "$(BUILD_OTHER)$(FORCE_BUILD)" ] && [ -f $(DB) ] \
		&& [ -f $(BUILD_STAMP) ] && md5sum --status -c $(BUILD_STAMP) 2>/dev/null \
		&& [ -z "$$(find $(BUILD_INPUTS) -newer $(BUILD_STAMP) -print -quit)" ]; then \
		echo "make: the build is up to date ($(DB): nothing it reads changed since;" \
			"make build FORCE_BUILD=1 builds again)"; \
	else \
		rm -f $(BUILD_STAMP); \
		echo "$(DBT_BUILD)"; \
		$(DBT_BUILD) && \
		if [ -z "$(BUILD_OTHER)" ]; then \
			md5sum target/run_results.json > $(BUILD_STAMP); fi; \
	fi

# Great Expectations suites on the marts (read-only), and their drift against the
# current publication (same settings only); a failing expectation fails
quality: build ## the Great Expectations suites and drift checks of the build
	$(CPC) quality --db $(DB) --json $(QUALITY_RESULTS) --previous $(PUBLISH)/current

# BI reads publish/current: swapped in atomically, only after the build and the suites
publish: quality ## the atomic publication for BI (publish/current)
	$(CPC) publish --db $(DB) --target target --out $(PUBLISH) --quality $(QUALITY_RESULTS)

run: publish ## build, check and publish (the README's first command)

# the paper's figures and tables, self-contained HTML, from the publication only: a
# publication is built first only when there is none
report: venv ## the HTML report of publish/current (reports/index.html)
	test -e $(PUBLISH)/current || $(MAKE) publish
	$(CPC) report --publication $(PUBLISH)/current --out $(REPORT)

# dbt's documentation site (models, columns, tests, exposures) as one file that opens
# from the file system: target/docs/static_index.html. It reads the build database
# (built first if missing) and writes only under target/docs, so the last build's
# run_results.json, and with it the next publication, are left as they are.
DOCS := target/docs
docs: venv ## dbt's documentation site as one file (target/docs/static_index.html)
	test -f $(DB) || $(MAKE) build
	@# the build's parse, reused (dbt parses again whatever changed, or all if the vars did)
	mkdir -p $(DOCS) && if [ -f target/partial_parse.msgpack ]; then \
		cp target/partial_parse.msgpack $(DOCS)/; fi
	$(BIN)/dbt docs generate --static --target-path $(DOCS) $(if $(DBT_VARS),--vars '$(DBT_VARS)')
	@echo "open $(DOCS)/static_index.html"

# The same marts with the NetMob spine on Spark (dbt-spark, a local session unless
# CPC_SPARK_MASTER says otherwise; README "Spark"), in three stages
# (analysis_py.engines.spark_path), then the suites and the publication as `make run`:
#   1. DuckDB: the tile -> commune allocation and the file listing (its tests stop a
#      missing file here, named), handed over to Spark as Parquet;
#   2. Spark: the spine (dbt_project.yml, tag spine): the strict parse to the correlations;
#   3. DuckDB: everything else, reading Spark's tables (source netmob_spine_spark).
SPARK_WORK := target/spark-path
spark: venv-spark sample ## the same marts with the NetMob spine on Spark
	$(CPC) spark --workdir $(SPARK_WORK) --vars '$(DBT_VARS)'
	$(CPC) quality --db $(SPARK_WORK)/cpc_tor.duckdb --json $(SPARK_WORK)/gx_results.json \
		--previous $(PUBLISH)/current
	$(CPC) publish --db $(SPARK_WORK)/cpc_tor.duckdb --target $(SPARK_WORK)/target \
		--out $(PUBLISH) --quality $(SPARK_WORK)/gx_results.json

# ------------------------------------------------------------------ checks
lint: venv-dev ## ruff (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# the sample first: some staging models read a file header while compiling
sqlfluff: venv-dev sample ## SQLFluff over every model and test
	$(BIN)/python tests/lint_sql.py --processes 2

sqlfluff-changed: venv-dev sample ## SQLFluff over the SQL files changed since main
	$(BIN)/python tests/lint_sql.py --processes 2 --changed

unit: venv-dev ## the unit tests (no dbt build)
	$(BIN)/python -m pytest tests/unit -q -n 2

check: lint sqlfluff-changed unit ## the fast layer: ruff, SQLFluff of changed files, unit tests

# Debian's chromium for the report's browser test (installed once)
browser:
	test -x $(CHROMIUM) || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium)

# the integration tests share one build per mode: `make run`'s for the sample, one per
# module for the others (each module runs whole on one of the two workers, the longest
# first: tests/conftest.py LONGEST_FIRST); the report's browser test reads `make run`'s
# publication; the Spark tests run here too
INTEGRATION_TESTS := $(BIN)/python -m pytest tests/integration -n 2 --dist loadfile \
	--no-loadscope-reorder

# what the integration tests read: the publication, then the report (it reads the
# publication) and the docs (they read the build database, which the publication's
# suites have let go of)
integration-inputs: venv-dev venv-spark browser publish
	$(MAKE) --no-print-directory report docs

integration: integration-inputs ## the integration tests (dbt builds, Spark)
	$(INTEGRATION_TESTS)

# The environment first (one pip run), then the checks and the integration tests side
# by side, each target's output kept together: much of the checks is one process long
# (the seeds and each SQLFluff pass parse the project) and would leave the second core
# idle; the integration tests start once their inputs are made (the build, the
# publication, the report, the docs).
test: ## everything CI checks (the README's second command)
	$(MAKE) --no-print-directory venv-test
	$(MAKE) --no-print-directory -j4 --output-sync=target lint sqlfluff unit integration

clean: ## remove builds, publications, reports and the sample
	rm -rf target logs $(PUBLISH) reports $(SAMPLE)
