# psw: `make run` loads raw/ into the warehouse, `make test` runs every check, `make ui` opens Dagster.
# Only python3 and make are needed: uv comes from PyPI, everything else from uv.lock.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export PSW_RAW_DIR ?= raw
export PSW_WAREHOUSE_PATH ?= warehouse/psw.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
PSW_UI_PORT ?= 3000
# the validation pages a check links to, served beside the UI
export PSW_PAGES_PORT ?= 3001
# uv must never download a Python build (no network but the package registries)
export UV_PYTHON_DOWNLOADS := never
# Compile the packages' bytecode once at install: uv does not by default, and where
# PYTHONDONTWRITEBYTECODE is set (as on CI machines) every process (each run, each dbt call)
# would compile Dagster, dbt and GX from source again, about 20 s each time.
export UV_COMPILE_BYTECODE := 1

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
VENV := .venv
BIN := $(VENV)/bin
# tools that start others (dg dev starts dbt) find them in the venv
export PATH := $(CURDIR)/$(BIN):$(PATH)
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml dbt_project/profiles.yml
MANIFEST := dbt_project/target/dagster/manifest.json

# SQL and MONTH reach psw exactly as typed: make expands none of their `$` (so `$(shell …)`
# runs nothing) and no shell reads them; the recipes pass them on quoted, from the environment.
unexport SQL MONTH WAREHOUSE BY
export PSW_QUERY_SQL := $(value SQL)
export PSW_REPORT_MONTH := $(value MONTH)
export PSW_APPROVER := $(value BY)
# On the samples (raw/), `make run` approves each month's first draft in the name of the
# release calendar's 审签: the samples' set-up. Elsewhere every draft waits for `make approve`.
export PSW_SAMPLE_SIGNOFF ?= $(if $(filter raw,$(PSW_RAW_DIR)),1,0)
# `make query` reads the release unless WAREHOUSE=internal (the bureau's own warehouse)
export PSW_QUERY_WAREHOUSE := $(or $(value WAREHOUSE),$(value PSW_QUERY_WAREHOUSE))

.PHONY: help setup prepare run report approve release release-status renderers test test-fast test-spark java lint format ui query docs bench profile samples clean

help:
	@echo "make run     load every month in \$$PSW_RAW_DIR ($(PSW_RAW_DIR)) into \$$PSW_WAREHOUSE_PATH ($(PSW_WAREHOUSE_PATH))"
	@echo "make test    make lint (ruff, sqlfluff) + the whole test suite"
	@echo "make test-fast   the everyday layers (about a minute): tests/unit, tests/definitions"
	@echo "make test-spark  the same dbt models on Spark, compared with DuckDB's (Java 17, pyspark: about 7 min)"
	@echo "make ui      the Dagster UI on http://127.0.0.1:$(PSW_UI_PORT) (schedules and sensors on),"
	@echo "             each file's validation page on http://127.0.0.1:$(PSW_PAGES_PORT)"
	@echo "make report [MONTH=2025-06]   the month's statistical tables (xlsx) and analysis (html, docx)"
	@echo "make approve MONTH=2025-06 BY=张三   approve the month's draft release (审签); it goes out at its time"
	@echo "make release-status   each month's release: draft, approved (by whom), released (when, version)"
	@echo "make release publish every approved month whose time has come (the schedule does it in \`make ui\`)"
	@echo "make query SQL=\"select …\" [WAREHOUSE=internal]   query the release (or the bureau's warehouse) read-only"
	@echo "make docs    dbt docs and GX Data Docs into warehouse/docs/dbt and warehouse/data_docs"
	@echo "make bench   benchmarks (25-50 min) into docs/benchmarks.md; --steps province,spark: docs/scale.md's alone"
	@echo "make profile flame graphs of an ingest and a month into docs/profiles/"
	@echo "make samples regenerate the sample spreadsheets in raw/"

$(VENV)/.synced: pyproject.toml uv.lock Makefile
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --user uv \
		|| python3 -m pip install --quiet --break-system-packages uv
	$(UV) sync --frozen --python 3.11
	@touch $@

setup: $(VENV)/.synced

# The dbt manifest is built once here, not at every load of the code location. Its parse is
# the first build's starting point, for the warehouse's path as the build's dbt gets it
# (resolved: dbt takes a parse only for the very same profile).
$(MANIFEST): $(VENV)/.synced $(DBT_SOURCES)
	cd dbt_project && PSW_WAREHOUSE_PATH="$$(cd .. && $(BIN)/python -c 'from orchestration.lib import settings; print(settings.warehouse_path())')" \
		../$(BIN)/dbt parse --profiles-dir . --target-path target/dagster --quiet
	@touch $@

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp $< $@

prepare: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

run: prepare
	$(BIN)/python -m orchestration.cli run

report: prepare
	$(BIN)/python -m orchestration.cli report $${PSW_REPORT_MONTH:+--month "$$PSW_REPORT_MONTH"}

# What the tests that look at a page or a document render with: Debian's chromium, a CJK
# font, LibreOffice's writer (the Word document to PDF). Installed where apt can and they are
# missing; elsewhere those tests skip and say so. CI (.ci/run) calls it before `make test`.
renderers:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	if [ -n "$$missing" ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
		|| echo "could not install$$missing: the tests that render with them will be skipped"; \
	fi

approve: prepare
	$(BIN)/python -m orchestration.cli release approve "$$PSW_REPORT_MONTH" --by "$$PSW_APPROVER"

release: prepare
	$(BIN)/python -m orchestration.cli release publish

release-status: setup
	@$(BIN)/python -m orchestration.cli release status

# two pytest-xdist workers, a test file each at a time (its module fixtures stay together), in
# the order tests/conftest.py gives the files (the one that builds make_run's warehouse first)
TEST_WORKERS ?= 2
# the layers, cheapest first: unit (lib/ alone), definitions (the code location, the lineage
# snapshot, dbt's unit tests), inprocess (Dagster runs in this process), e2e (real `make run`s)
FAST_TESTS := tests/unit tests/definitions

# The tests' scratch files (a warehouse and a Dagster instance per run: thousands of small
# synced writes) go to memory, /dev/shm, when it has 2 GB free; a failed run's stay there.
SCRATCH_ROOT = $(shell [ -w /dev/shm ] && [ "$$(df -Pk /dev/shm | awk 'NR==2 {print $$4}')" -gt 2000000 ] && echo /dev/shm || echo $${TMPDIR:-/tmp})

test: prepare lint
	@scratch=$$(mktemp -d -p $(SCRATCH_ROOT) psw-test.XXXXXX); echo "test scratch: $$scratch"; \
	TMPDIR=$$scratch $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
		--ignore=tests/spark; \
	status=$$?; if [ $$status -eq 0 ]; then rm -rf $$scratch; else echo "kept: $$scratch"; fi; exit $$status

# the everyday layers, about a minute: tests/unit and tests/definitions
test-fast: prepare
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(FAST_TESTS)

# The same dbt models on Spark (docs/scale.md), compared with DuckDB's: tests/spark, in an
# environment of its own (.venv-spark: the project with its `spark` extra, dbt-spark and
# pyspark, a 450 MB download kept out of .venv), with Java 17 from Debian where it is missing.
# Where Java cannot be had the tests skip and say why. CI (.ci/run) runs it after `make test`.
SPARK_VENV := .venv-spark

$(SPARK_VENV)/.synced: pyproject.toml uv.lock Makefile $(VENV)/.synced
	UV_PROJECT_ENVIRONMENT=$(SPARK_VENV) $(UV) sync --frozen --python 3.11 --extra spark
	@touch $@

java:
	@command -v java >/dev/null 2>&1 || (apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless) \
		|| echo "could not install Java 17: the Spark tests will be skipped"

test-spark: prepare java $(SPARK_VENV)/.synced
	@scratch=$$(mktemp -d -p $(SCRATCH_ROOT) psw-spark.XXXXXX); echo "test scratch: $$scratch"; \
	TMPDIR=$$scratch PATH=$(CURDIR)/$(SPARK_VENV)/bin:$$PATH $(SPARK_VENV)/bin/python -m pytest -n 2 --dist loadfile tests/spark; \
	status=$$?; if [ $$status -eq 0 ]; then rm -rf $$scratch; else echo "kept: $$scratch"; fi; exit $$status

# ruff on the Python, sqlfluff on the dbt models (dbt templater, DuckDB dialect:
# dbt_project/.sqlfluff; it compiles the models against an in-memory database)
lint: $(MANIFEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd dbt_project && ../$(BIN)/sqlfluff lint models --disable-progress-bar --nocolor

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	cd dbt_project && ../$(BIN)/sqlfluff fix models --disable-progress-bar --nocolor

ui: prepare
	$(BIN)/python -m orchestration.cli pages & trap 'kill $$!' EXIT; \
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg dev -h 127.0.0.1 -p $(PSW_UI_PORT)

query: setup
	@$(BIN)/python -m orchestration.cli query "$$PSW_QUERY_SQL"

docs: prepare
	$(BIN)/python -m orchestration.cli docs

bench: prepare
	$(BIN)/python bench/run.py

profile: prepare
	$(BIN)/python bench/profile.py

samples: setup
	$(BIN)/python raw/_generator/generate.py --out raw

clean:
	rm -rf warehouse $(DAGSTER_HOME) dbt_project/target dbt_project/logs
