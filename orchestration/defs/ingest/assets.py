"""One ingestion asset per source: the month's spreadsheet, read and written to DuckDB `raw`."""

import hashlib
from pathlib import Path

import dagster as dg

from orchestration.defs.ingest.checks import check_result, validation_spec
from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import (
    GreatExpectationsResource,
    RawFilesResource,
    WarehouseResource,
)
from orchestration.lib.loading import (
    NO_FILE,
    REJECTED,
    LoadOutcome,
    load_month,
)
from orchestration.lib.problems import listed
from orchestration.lib.raw_files import unplaced_files
from orchestration.lib.sources import LINEAGE_COLUMNS, SOURCES, Source
from orchestration.lib.warehouse import raw_columns


def raw_files_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw_files", source.name])


def ingest_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.name])


def _column_schema(source: Source) -> dg.TableSchema:
    described = {c.name: f"{c.display_header} / {c.description}" for c in source.all_columns}
    described |= {name: text for name, _, text in LINEAGE_COLUMNS}
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, kind, description=described.get(name, ""))
            for name, kind in raw_columns(source)
        ]
    )


def raw_files_spec(source: Source) -> dg.AssetSpec:
    """The delivered spreadsheets themselves: the start of every lineage path."""
    return dg.AssetSpec(
        key=raw_files_key(source),
        description=(
            f"{source.title_zh}原始报表（raw/{source.name}/{source.file_stem}_YYYY-MM.xlsx，"
            f"工作表「{source.sheet}」） / {source.title_en}: the spreadsheets as delivered."
        ),
        group_name="raw_files",
        owners=[source.owner],
        kinds={"excel"},
        partitions_def=monthly_partitions,
    )


def outcome_metadata(outcome: LoadOutcome) -> dict:
    metadata = {"month": outcome.month, "outcome": outcome.status}
    if outcome.file:
        metadata |= {"file": outcome.file.name, "path": dg.MetadataValue.path(str(outcome.file))}
    if outcome.sha256:
        metadata["sha256"] = outcome.sha256
    if outcome.parsed:
        metadata |= {
            "sheet": outcome.parsed.sheet,
            "title": outcome.parsed.title,
            "rows_read": outcome.rows_read,
            "units": ", ".join(sorted(set(outcome.parsed.units.values()))) or "-",
            "dagster/row_count": outcome.rows_in_warehouse,
        }
    if outcome.warnings:
        metadata["warnings"] = outcome.summary()
    return metadata


def code_version(source: Source) -> str:
    """Changes when what the asset does to a file changes: the source's columns or its rules."""
    from orchestration.lib.rules import catalogue

    rules = sorted((r.id, r.severity, r.text) for r in catalogue().values())
    return hashlib.sha256(repr((source, rules)).encode()).hexdigest()[:12]


def file_observation(outcome: LoadOutcome, source: Source) -> dg.AssetObservation:
    """What was delivered for the month, recorded on the raw file asset."""
    metadata = {"month": outcome.month, "outcome": outcome.status}
    if outcome.file:
        metadata |= {"file": outcome.file.name, "path": dg.MetadataValue.path(str(outcome.file))}
    if outcome.sha256:
        metadata["sha256"] = outcome.sha256
    return dg.AssetObservation(
        asset_key=raw_files_key(source), partition=outcome.month, metadata=metadata
    )


def build_ingest_asset(source: Source) -> dg.AssetsDefinition:
    key = ingest_key(source)

    @dg.asset(
        key=key,
        deps=[raw_files_key(source)],
        description=(
            f"{source.title_zh}：按月读取、以 Great Expectations 校验并写入 DuckDB "
            f"raw.{source.name}（金额统一为万元） / {source.title_en}: the month's file read, "
            f"validated with Great Expectations and written to raw.{source.name} "
            "(money in 万元), replacing that month."
        ),
        group_name="ingest",
        owners=[source.owner],
        kinds={"python", "duckdb"},
        partitions_def=monthly_partitions,
        metadata={"dagster/column_schema": _column_schema(source), "sheet": source.sheet},
        check_specs=[validation_spec(source, key)],
        code_version=code_version(source),
    )
    def _ingest(
        context: dg.AssetExecutionContext,
        raw_files: RawFilesResource,
        warehouse: WarehouseResource,
        great_expectations: GreatExpectationsResource,
    ):
        raw_dir = Path(raw_files.directory)
        unplaced = [
            u
            for u in unplaced_files(raw_dir, monthly_partitions.get_partition_keys())
            if u.source in (source.name, None)
        ]
        for file in unplaced:
            context.log.warning(f"SKIPPED {file.path}: {file.reason}")
        with warehouse.get_connection() as conn:
            outcome, docs_url = load_month(
                conn,
                raw_dir,
                source,
                context.partition_key,
                Path(great_expectations.project_dir),
                Path(great_expectations.data_docs_dir),
                unplaced,
            )
        if outcome.status != NO_FILE:
            context.log_event(file_observation(outcome, source))
        check = check_result(outcome, docs_url)
        if outcome.status == REJECTED:
            yield check
            raise dg.Failure(
                description=f"REJECTED {outcome.summary()}\n" + listed(outcome.problems, "  "),
                metadata=outcome_metadata(outcome),
            )
        if outcome.status == NO_FILE:
            context.log.info(f"no {source.name} file for {context.partition_key}")
        yield dg.MaterializeResult(metadata=outcome_metadata(outcome))
        yield check

    return _ingest


raw_file_specs = [raw_files_spec(source) for source in SOURCES.values()]

# The file analysts open: the end of every lineage path.
published_warehouse_spec = dg.AssetSpec(
    key=dg.AssetKey(["published", "psw_duckdb"]),
    deps=[
        dg.AssetKey(["marts", "fct_indicator_value"]),
        dg.AssetKey(["marts", "fct_indicator_value_labelled"]),
    ],
    description=(
        "分析人员使用的数仓文件（$PSW_WAREHOUSE_PATH，只读打开）；每次运行结束时原子发布 / The "
        "warehouse file analysts open read-only ($PSW_WAREHOUSE_PATH), published atomically "
        "when each run ends."
    ),
    group_name="published",
    owners=["team:psw-analytics"],
    kinds={"duckdb"},
)
ingest_assets = [build_ingest_asset(source) for source in SOURCES.values()]
