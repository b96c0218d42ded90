"""Every dbt model, seed and test as Dagster assets and checks, partitioned by month."""

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_dbt.asset_utils import default_description_fn

from orchestration.defs.dbt.project import psw_dbt_project
from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.dbt import checks as dbt_checks
from orchestration.lib.dbt import failures as build_failures
from orchestration.lib.publishing import lock, working_copy


class PswDbtTranslator(DagsterDbtTranslator):
    """Groups come from the model's folder (staging, warehouse, indicators) and seeds form
    the `reference` group; owners and descriptions come from the dbt YAML, without the raw
    SQL dagster-dbt appends (the asset links to its file instead)."""

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return default_description_fn(dbt_resource_props, display_raw_sql=False)

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "seed":
            group = "reference"
        elif props["resource_type"] == "model":
            group = props["fqn"][1]
        else:
            return spec
        return spec.replace_attributes(group_name=group)


def build_environment(context: dg.AssetExecutionContext) -> dict[str, str]:
    """What the run's dbt build reads from its environment (macros/month_window.sql,
    macros/publication.sql): its publication (the run id), and its months as the half-open
    window [PSW_MIN_MONTH, PSW_MAX_MONTH), carried on to the end of the last month's year: a
    month's figures feed the later months' of its year (the month's revenue is YTD minus last
    month's, the ledger counts 1-本月), so a corrected month rebuilds them too."""
    window = context.partition_time_window
    last_year = (window.end - dt.timedelta(days=1)).year
    return {
        "PSW_MIN_MONTH": window.start.strftime("%Y-%m-%d"),
        "PSW_MAX_MONTH": f"{last_year + 1}-01-01",
        "PSW_PUBLICATION_ID": context.run.run_id,
    }


MONTH_COLUMNS = ("period", "month_date", "wave_month_date")


def row_count_sql(node: Mapping[str, Any], window: Mapping[str, str]) -> tuple[str, str | None]:
    """The query that counts a built relation's rows, and which rows when not all of them.

    A table's rows are counted all (DuckDB keeps the count). A view is a query: counting all
    of it runs it over the whole history (the provenance view holds 98 million rows at 60
    months × 100 the sample, and took 6.5 s), so a view's count is of the build's months.
    """
    # schema.table, not the manifest's relation_name: that names the database file's catalog
    relation = f'"{node["schema"]}"."{node["alias"]}"'
    column = next((c for c in MONTH_COLUMNS if c in node.get("columns", {})), None)
    if node["config"].get("materialized") != "view" or column is None:
        return f"select count(*) from {relation}", None
    start, end = window["PSW_MIN_MONTH"], window["PSW_MAX_MONTH"]
    return (
        f"select count(*) from {relation} "
        f"where {column} >= date '{start}' and {column} < date '{end}'",
        f"{start} <= {column} < {end}",
    )


def with_row_counts(
    events: list, context: dg.AssetExecutionContext, database: str, window: Mapping[str, str]
) -> Iterator:
    """Attach each built relation's row count to its materialisation.

    dagster-dbt's fetch_row_counts queries while dbt runs, but DuckDB's file is locked by
    the dbt process then; so the events are counted once dbt has finished.
    """
    nodes = _manifest()["nodes"]
    built = {n["name"]: n for n in nodes.values() if n["resource_type"] in ("model", "seed")}
    with duckdb.connect(database, read_only=True) as conn:
        for event in events:
            if not isinstance(event, dg.Output):
                yield event
                continue
            node = built.get(context.asset_key_for_output(event.output_name).path[-1])
            if node:
                sql, covers = row_count_sql(node, window)
                counted = {"dagster/row_count": conn.execute(sql).fetchall()[0][0]}
                if covers:
                    counted["row_count_covers"] = covers
                event = event.with_metadata({**event.metadata, **counted})
            yield event


@dbt_assets(
    manifest=dbt_checks.readable(json.loads(psw_dbt_project().manifest_path.read_text())),
    project=psw_dbt_project(),
    dagster_dbt_translator=PswDbtTranslator(
        DagsterDbtTranslatorSettings(enable_code_references=True)
    ),
    partitions_def=monthly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def psw_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    environment = build_environment(context)
    context.log.info(f"dbt build with {environment}")
    try:
        events, failed = _build(dbt, context, environment, warehouse.database)
        rejected = []
        if failed is not None:
            # A test failed on data: reject the files its rows came from, and build again.
            with duckdb.connect(warehouse.database) as conn:
                rejected = build_failures.find_culprits(conn, _run_results(failed), _manifest())
                for culprit in rejected:
                    context.log.error(f"REJECTED by the dbt build: {culprit.summary()}")
                    build_failures.reject(conn, culprit)
            if not rejected:
                raise dg.Failure(
                    description=f"FAILED dbt build: {_failed_nodes(failed)}; no delivered "
                    "file's rows could be named, and nothing of the build was published"
                )
            events, failed = _build(dbt, context, environment, warehouse.database)
            if failed is not None:
                raise dg.Failure(
                    description=f"FAILED dbt build: {_failed_nodes(failed)}, also after "
                    "rejecting " + ", ".join(c.file for c in rejected)
                )
    except BaseException:
        warehouse.discard_run()  # a half-built warehouse is never published
        raise
    finally:
        prune_target_folders(psw_dbt_project().project_dir / "target", context.run.run_id)
    yield from with_row_counts(events, context, warehouse.database, environment)
    if rejected:  # the rest is built and published; the run still fails, naming the files
        raise dg.Failure(
            description="\n".join(f"REJECTED {c.summary()}" for c in rejected),
        )


SETTLED_SECONDS = 600


def prune_target_folders(target: Path, run_id: str) -> None:
    """dagster-dbt gives each dbt invocation a target folder of its own (its compiled SQL,
    run results, logs and a copy of the manifest: megabytes each); remove the other runs'
    once their dbt finished ten minutes ago, and any folder a day old (a parse_ahead folder
    too: a `make run` killed outright leaves its own).

    Not sooner: a run on another warehouse reads its build's run results after dbt has
    finished (a failed test's rows name the file to reject), and a prune in between took them
    away (its build then failed naming no file)."""
    now = time.time()
    for folder in [*target.glob("psw_dbt_models-*"), *target.glob("parse-ahead-*")]:
        if not folder.is_dir() or folder.name.startswith(f"psw_dbt_models-{run_id[:7]}-"):
            continue
        results = folder / "run_results.json"
        settled = results.exists() and results.stat().st_mtime < now - SETTLED_SECONDS
        if settled or folder.stat().st_mtime < now - 24 * 3600:
            shutil.rmtree(folder, ignore_errors=True)


def _build(
    dbt: DbtCliResource, context: dg.AssetExecutionContext, environment: dict, database: str
):
    """dbt build; its events, and the invocation when it failed (None when it passed)."""
    target = (
        psw_dbt_project().project_dir
        / "target"
        / f"psw_dbt_models-{context.run.run_id[:7]}-{secrets.token_hex(4)}"
    )
    parse_state = parse_state_path(database)
    project = psw_dbt_project()
    prepared = project.project_dir / project.target_path / "partial_parse.msgpack"
    start = parse_state if parse_state.exists() else prepared  # `make prepare`'s, if none
    if start.exists():
        target.mkdir(parents=True)
        shutil.copyfile(start, target / "partial_parse.msgpack")
    with _environ(environment):  # dagster-dbt gives dbt a copy of this process's environment
        invocation = dbt.cli(["build"], context=context, raise_on_error=False, target_path=target)
    events = list(invocation.stream())
    keep_parse_state(target / "partial_parse.msgpack", parse_state)
    return events, (None if invocation.is_successful() else invocation)


def parse_state_path(database: str) -> Path:
    """Where dbt's parse of the project for this warehouse is kept between builds.

    dbt parses the whole project again (about 3 s) when its profile changes, and the profile
    names the warehouse's path; `make prepare`'s parse is the default warehouse's. So each
    warehouse keeps the parse of its last build.
    """
    key = hashlib.sha256(str(Path(database).resolve()).encode()).hexdigest()[:16]
    return psw_dbt_project().project_dir / "target" / "partial_parse" / f"{key}.msgpack"


@contextlib.contextmanager
def parse_ahead(published: Path, log: Path) -> Iterator[None]:
    """`dbt parse` for a warehouse no build has parsed yet, in a process of its own while the
    block runs (the ingestion: the other core is idle then); its parse is kept for the
    warehouse's first build, which then skips its own full parse (about 2 s).

    The parse opens no database: it reads the project and the profile, which names the
    warehouse by $PSW_WAREHOUSE_PATH. The build's dbt is given the resolved path
    (settings.export_resolved), and dbt takes a parse only for the very same profile, so the
    parse is given that path too, whatever this process's environment says. A parse that
    fails is left to the build, which parses again and reports what is wrong; a stopped
    `make run` stops the parse too."""
    kept = parse_state_path(str(working_copy.work_path(published)))
    if kept.exists():
        yield
        return
    project = psw_dbt_project()
    target = project.project_dir / "target" / f"parse-ahead-{secrets.token_hex(4)}"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet"],
            cwd=project.project_dir,
            env={
                **os.environ,
                "PSW_WAREHOUSE_PATH": str(published),
                "DBT_PROFILES_DIR": str(project.profiles_dir),
                "DBT_TARGET_PATH": str(target),
                "DBT_LOG_PATH": str(target),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield
        if not lock.stop_requested() and process.wait() == 0:
            keep_parse_state(target / "partial_parse.msgpack", kept)
    finally:
        if process.poll() is None:  # the block failed or was stopped
            process.kill()
            process.wait()
        shutil.rmtree(target, ignore_errors=True)


PARSE_STATES_KEPT = 8


def keep_parse_state(parsed: Path, kept: Path) -> None:
    """Keep a build's parse for the next build of the same warehouse (replaced whole, as
    another process may be reading it), and the most recent few warehouses' only."""
    if not parsed.exists():
        return
    kept.parent.mkdir(parents=True, exist_ok=True)
    scratch = kept.with_name(f"{kept.name}.{secrets.token_hex(4)}")
    shutil.copyfile(parsed, scratch)
    os.replace(scratch, kept)
    states = sorted(
        kept.parent.glob("*.msgpack"), key=lambda path: path.stat().st_mtime, reverse=True
    )
    for old in states[PARSE_STATES_KEPT:]:
        old.unlink(missing_ok=True)


@contextlib.contextmanager
def _environ(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@cache
def _manifest() -> dict:
    """The prepared manifest, parsed once per process (read, never changed)."""
    return json.loads(psw_dbt_project().manifest_path.read_text())


def _run_results(invocation) -> dict:
    try:
        return invocation.get_artifact("run_results.json")
    except (OSError, ValueError):
        return {}  # dbt stopped before it ran anything


def _failed_nodes(invocation) -> str:
    results = _run_results(invocation).get("results", [])
    failed = [r["unique_id"].split(".")[-1] for r in results if r["status"] in ("fail", "error")]
    return ", ".join(failed[:10]) or "dbt exited with an error"
