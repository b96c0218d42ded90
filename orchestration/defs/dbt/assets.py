"""Every dbt model, seed and test as Dagster assets and checks, partitioned by month."""

import datetime as dt
import json
import shutil
import time
from collections.abc import Iterator, Mapping
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
from orchestration.lib import build_failures, dbt_checks


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


def build_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """The run's dbt vars: its publication (the run id), and its months as the half-open
    window [min_month, max_month), carried on to the end of the last month's year: a month's
    figures feed the later months' of its year (the month's revenue is YTD minus last month's,
    the ledger counts 1-本月), so a corrected month rebuilds them too."""
    window = context.partition_time_window
    last_year = (window.end - dt.timedelta(days=1)).year
    return {
        "min_month": window.start.strftime("%Y-%m-%d"),
        "max_month": f"{last_year + 1}-01-01",
        "publication_id": context.run.run_id,
    }


def with_row_counts(events: list, context: dg.AssetExecutionContext, database: str) -> Iterator:
    """Attach each built relation's row count to its materialisation.

    dagster-dbt's fetch_row_counts queries while dbt runs, but DuckDB's file is locked by
    the dbt process then; so the events are counted once dbt has finished.
    """
    manifest = psw_dbt_project().manifest_path
    nodes = json.loads(manifest.read_text())["nodes"]
    # schema.table, not the manifest's relation_name: that names the database file's catalog
    relations = {
        node["name"]: f'"{node["schema"]}"."{node["alias"]}"'
        for node in nodes.values()
        if node["resource_type"] in ("model", "seed")
    }
    with duckdb.connect(database, read_only=True) as conn:
        for event in events:
            if isinstance(event, dg.Output):
                relation = relations.get(context.asset_key_for_output(event.output_name).path[-1])
                if relation:
                    count = conn.execute(f"select count(*) from {relation}").fetchall()[0][0]
                    event = event.with_metadata({**event.metadata, "dagster/row_count": count})
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
    vars_ = json.dumps(build_vars(context))
    context.log.info(f"dbt build for months {vars_}")
    try:
        events, failed = _build(dbt, context, vars_)
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
            events, failed = _build(dbt, context, vars_)
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
    yield from with_row_counts(events, context, warehouse.database)
    if rejected:  # the rest is built and published; the run still fails, naming the files
        raise dg.Failure(
            description="\n".join(f"REJECTED {c.summary()}" for c in rejected),
        )


def prune_target_folders(target: Path, run_id: str) -> None:
    """dagster-dbt gives each dbt invocation a target folder of its own (its compiled SQL,
    run results, logs and a copy of the manifest: megabytes each); keep this run's, and any
    another process's dbt is still writing (no run_results.json yet, and not a day old)."""
    day_ago = time.time() - 24 * 3600
    for folder in target.glob("psw_dbt_models-*"):
        if not folder.is_dir() or folder.name.startswith(f"psw_dbt_models-{run_id[:7]}-"):
            continue
        finished = (folder / "run_results.json").exists()
        if finished or folder.stat().st_mtime < day_ago:
            shutil.rmtree(folder, ignore_errors=True)


def _build(dbt: DbtCliResource, context: dg.AssetExecutionContext, vars_: str):
    """dbt build; its events, and the invocation when it failed (None when it passed)."""
    invocation = dbt.cli(["build", "--vars", vars_], context=context, raise_on_error=False)
    events = list(invocation.stream())
    return events, (None if invocation.is_successful() else invocation)


def _manifest() -> dict:
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
