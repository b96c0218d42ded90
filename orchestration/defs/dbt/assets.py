"""Every dbt model, seed and test as Dagster assets and checks, partitioned by month.

One partitioned `@dbt_assets` for the whole project (dagster-open-platform partitions only its
incremental models): one `dbt build` per run keeps DuckDB's one writer and one
reject-and-rebuild loop (a test failing on a file's rows rejects that file and builds again).
"""

import json
import secrets
import shutil
from collections.abc import Iterator, Mapping
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
from orchestration.lib.dbt.build import (
    build_environment,
    environ,
    failed_nodes,
    manifest,
    row_count_sql,
    run_results,
)
from orchestration.lib.dbt.parse import keep_parse_state, parse_state_path, prepared_parse
from orchestration.lib.dbt.targets import prune_target_folders


class PswDbtTranslator(DagsterDbtTranslator):
    """Groups come from the model's folder, the words analysts use: its layer (staging,
    intermediate, release) or, in marts/, its area (core, indicators, history, provenance,
    disclosure), and release/reports/ is `reports`;
    seeds form the `reference` group. Owners and descriptions come from the dbt YAML, without
    the raw SQL dagster-dbt appends (the asset links to its file instead)."""

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return default_description_fn(dbt_resource_props, display_raw_sql=False)

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "seed":
            group = "reference"
        elif props["resource_type"] == "model":
            layer, area = props["fqn"][1], props["fqn"][2]
            # marts' areas are groups of their own, and so are the release's report tables
            in_area = layer == "marts" or (layer == "release" and len(props["fqn"]) > 3)
            group = area if in_area else layer
        else:
            return spec
        return spec.replace_attributes(group_name=group)


def with_row_counts(
    events: list, context: dg.AssetExecutionContext, database: str, window: Mapping[str, str]
) -> Iterator:
    """Attach each built relation's row count to its materialisation.

    dagster-dbt's fetch_row_counts queries while dbt runs, but DuckDB's file is locked by
    the dbt process then; so the events are counted once dbt has finished.
    """
    nodes = manifest()["nodes"]
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
    window = context.partition_time_window
    environment = build_environment(
        window.start, window.end, context.run.run_id, warehouse.published_path
    )
    context.log.info(f"dbt build with {environment}")
    try:
        events, failed = _build(dbt, context, environment, warehouse.database)
        rejected = []
        if failed is not None:
            # A test failed on data: reject the files its rows came from, and build again.
            with duckdb.connect(warehouse.database) as conn:
                rejected = build_failures.find_culprits(conn, run_results(failed), manifest())
                for culprit in rejected:
                    context.log.error(f"REJECTED by the dbt build: {culprit.summary()}")
                    build_failures.reject(conn, culprit)
            if not rejected:
                raise dg.Failure(
                    description=f"FAILED dbt build: {failed_nodes(failed)}; no delivered "
                    "file's rows could be named, and nothing of the build was published"
                )
            events, failed = _build(dbt, context, environment, warehouse.database)
            if failed is not None:
                raise dg.Failure(
                    description=f"FAILED dbt build: {failed_nodes(failed)}, also after "
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
    start = parse_state if parse_state.exists() else prepared_parse()
    if start.exists():
        target.mkdir(parents=True)
        shutil.copyfile(start, target / "partial_parse.msgpack")
    with environ(environment):  # dagster-dbt gives dbt a copy of this process's environment
        invocation = dbt.cli(["build"], context=context, raise_on_error=False, target_path=target)
    events = list(invocation.stream())
    keep_parse_state(target / "partial_parse.msgpack", parse_state)
    return events, (None if invocation.is_successful() else invocation)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[psw_dbt_models])
