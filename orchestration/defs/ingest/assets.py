"""One ingestion asset per source: the month's spreadsheet, read and written to DuckDB `raw`."""

import hashlib
from pathlib import Path

import dagster as dg

from orchestration.defs.ingest.checks import check_result, page_link, validation_spec
from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import (
    PUBLISHED_KEY,
    GreatExpectationsResource,
    RawFilesResource,
    WarehouseResource,
)
from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.files import unplaced_files
from orchestration.lib.delivery.problems import listed
from orchestration.lib.delivery.sources import SOURCES, Source
from orchestration.lib.loading.month import load_month
from orchestration.lib.loading.outcome import NO_FILE, REJECTED, LoadOutcome
from orchestration.lib.loading.tables import (
    LOAD_COLUMNS,
    LOAD_LOG,
    PUBLICATIONS,
    Table,
    column_comments,
)
from orchestration.lib.loading.writes import raw_columns


def raw_files_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw_files", source.name])


def ingest_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.name])


def _column_schema(sheet: Source) -> dg.TableSchema:
    described = column_comments(sheet)
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, kind, description=described.get(name, ""))
            for name, kind in raw_columns(sheet)
        ]
    )


def _log_schema(table: Table) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, kind.split()[0], description=text)
            for name, kind, text in table.columns
        ]
    )


def _sheets_named(source: Source) -> str:
    return "」「".join(part.sheet for part in source.sheets)


def raw_files_spec(source: Source) -> dg.AssetSpec:
    """The delivered spreadsheets themselves: the start of every lineage path."""
    return dg.AssetSpec(
        key=raw_files_key(source),
        description=(
            f"{source.title_zh}原始报表（raw/{source.name}/{source.file_stem}_YYYY-MM.xlsx，"
            f"工作表「{_sheets_named(source)}」） / {source.title_en}: the spreadsheets as "
            "delivered."
        ),
        group_name="raw_files",
        owners=[source.owner],
        kinds={"excel"},
        partitions_def=monthly_partitions,
    )


def outcome_metadata(outcome: LoadOutcome, sheet: Source | None = None) -> dict:
    """What a load did, for the asset of one of the file's sheets (or of the whole file)."""
    metadata = {"month": outcome.month, "outcome": outcome.status}
    if outcome.file:
        metadata |= {"file": outcome.file.name, "path": dg.MetadataValue.path(str(outcome.file))}
    if outcome.sha256:
        metadata["sha256"] = outcome.sha256
    read = [p for p in outcome.sheets if sheet is None or p.source.name == sheet.name]
    if read:
        metadata |= {
            "sheet": "、".join(parsed.sheet for parsed in read),
            "title": read[0].title,
            "rows_read": sum(len(parsed.rows) for parsed in read),
            "units": ", ".join(sorted({u for p in read for u in p.units.values()})) or "-",
            # what the month holds now: the rows just written, or the same file's rows
            "dagster/row_count": sum(len(parsed.warehouse_rows()) for parsed in read),
        }
    elif outcome.kept_from_earlier:  # the same file again, its verdict kept: not read again
        metadata |= {
            "sheet": "、".join(outcome.sheet_names),
            "verdict": "kept: the same file, compared with the same files, under the same rules",
            # as read when it was validated (the survey's respondents, not its melted rows)
            "rows_read": outcome.rows_read
            if sheet is None or len(outcome.rows_by_sheet) == 1
            else outcome.rows_by_sheet.get(sheet.name, 0),
            "dagster/row_count": sum(
                count
                for name, count in outcome.rows_by_sheet.items()
                if sheet is None or name == sheet.name
            ),
        }
    if outcome.warnings:
        metadata["warnings"] = outcome.summary()
    return metadata


def code_version(source: Source) -> str:
    """Changes when what the asset does to a file changes: the source's columns or its rules."""

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


def _ingest_spec(source: Source, sheet: Source) -> dg.AssetSpec:
    tables = f"raw.{sheet.name}"
    return dg.AssetSpec(
        key=ingest_key(sheet),
        deps=[raw_files_key(source)],
        description=(
            f"{source.title_zh}{'·' + sheet.title_zh if source.parts else ''}：按月读取、以 "
            f"Great Expectations 校验并写入 DuckDB {tables}（金额统一为万元） / "
            f"{sheet.title_en}: the month's file read, validated with Great Expectations and "
            f"written to {tables} (money in 万元), replacing that month."
            + (
                " The file is one delivery: an error on any sheet rejects it all."
                if source.parts
                else ""
            )
        ),
        group_name="ingest",
        owners=[source.owner],
        kinds={"python", "duckdb"},
        partitions_def=monthly_partitions,
        metadata={"dagster/column_schema": _column_schema(sheet), "sheet": sheet.sheet},
        code_version=code_version(source),
    )


def build_ingest_asset(source: Source) -> dg.AssetsDefinition:
    """The month's file of a source, read, validated and written: one raw table (and one
    asset) a sheet, all in one step, since the file is one delivery."""
    sheets = source.sheets

    @dg.multi_asset(
        name=f"raw__{source.name}",
        specs=[_ingest_spec(source, sheet) for sheet in sheets],
        check_specs=[validation_spec(source, ingest_key(sheet)) for sheet in sheets],
        partitions_def=monthly_partitions,
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
            outcome, page = load_month(
                conn,
                raw_dir,
                source,
                context.partition_key,
                Path(great_expectations.project_dir),
                Path(great_expectations.data_docs_dir),
                unplaced,
                pages_dir=Path(great_expectations.pages_dir),
            )
        if outcome.status != NO_FILE:
            context.log_event(file_observation(outcome, source))
        link = page_link(page, Path(great_expectations.pages_dir), great_expectations.pages_url)
        checks = [check_result(outcome, link, ingest_key(sheet)) for sheet in sheets]
        if outcome.status == REJECTED:
            yield from checks
            raise dg.Failure(
                description=f"REJECTED {outcome.summary()}\n" + listed(outcome.problems, "  "),
                metadata=outcome_metadata(outcome),
            )
        if outcome.status == NO_FILE:
            context.log.info(f"no {source.name} file for {context.partition_key}")
        for sheet in sheets:
            yield dg.MaterializeResult(
                asset_key=ingest_key(sheet), metadata=outcome_metadata(outcome, sheet)
            )
        yield from checks

    return _ingest


raw_file_specs = [raw_files_spec(source) for source in SOURCES.values()]

# The file analysts open: the end of every lineage path.
published_warehouse_spec = dg.AssetSpec(
    key=PUBLISHED_KEY,
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
# Written as each run publishes the warehouse; the indicator history dates its versions by it.
publications_spec = dg.AssetSpec(
    key=dg.AssetKey(["raw", "publications"]),
    description=f"raw.publications：{PUBLICATIONS.comment}.",
    group_name="published",
    owners=["team:psw-analytics"],
    kinds={"duckdb"},
    metadata={"dagster/column_schema": _log_schema(PUBLICATIONS)},
)
ingest_assets = [build_ingest_asset(source) for source in SOURCES.values()]


def ingest_log_spec(table: Table) -> dg.AssetSpec:
    """A table every ingestion asset appends to, beside the sources' own."""
    return dg.AssetSpec(
        key=dg.AssetKey(["raw", table.name]),
        deps=[key for asset in ingest_assets for key in asset.keys],
        description=f"raw.{table.name}：{table.comment}; appended by every ingestion asset.",
        group_name="ingest",
        owners=["team:psw-analytics"],
        kinds={"duckdb"},
        metadata={"dagster/column_schema": _log_schema(table)},
    )


# dbt reads it where the rows alone cannot tell a month with no events from a month not
# delivered (the work ledger).
load_log_spec = ingest_log_spec(LOAD_LOG)
# The provenance of every indicator value reads it for the cell address of each raw value.
load_columns_spec = ingest_log_spec(LOAD_COLUMNS)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[
            *raw_file_specs,
            *ingest_assets,
            load_log_spec,
            load_columns_spec,
            publications_spec,
            published_warehouse_spec,
        ]
    )
