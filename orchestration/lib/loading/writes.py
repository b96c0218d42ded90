"""Writing a parsed month into the DuckDB schema `raw`.

The raw tables hold the source's columns (money in 万元) plus lineage columns. Every accepted
version of a month stays (a vintage): a new version marks the rows it replaces superseded
(`superseded_at`, `superseded_by`) and adds its own, in one transaction, so a reader sees
either the old month or the new one. The current version is the rows not superseded.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from orchestration.lib.delivery.sources import LINEAGE_COLUMNS, SOURCES, Source
from orchestration.lib.loading.tables import LOG_TABLES, describe_raw
from orchestration.lib.periods import utc_now
from orchestration.lib.reading.sheet import ParsedSheet

CURRENT = "superseded_at is null"  # the current version of a month's rows
# the rule a file is rejected by when a dbt build fails on its rows (dbt/failures.py)
BUILD_RULE = "DBT"


def raw_columns(source: Source) -> list[tuple[str, str]]:
    """(name, duckdb type) of a raw table, in order."""
    lineage = [(name, kind) for name, kind, _ in LINEAGE_COLUMNS]
    return lineage[:2] + [(c.name, c.duckdb_type) for c in source.all_columns] + lineage[2:]


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists raw")
    existing = set(
        conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'raw'"
        ).fetchall()
    )
    for source in SOURCES.values():
        for part in source.sheets:
            columns = ",\n    ".join(f"{name} {kind}" for name, kind in raw_columns(part))
            conn.execute(f"create table if not exists {part.table} (\n    {columns}\n)")
            for name, kind in raw_columns(part):  # a table from before a column was added
                if (part.name, name) not in existing and any(t == part.name for t, _ in existing):
                    conn.execute(f"alter table {part.table} add column {name} {kind}")
    for table in LOG_TABLES:
        conn.execute(table.ddl())
    for name in ("load_id", "validated_with", "findings"):  # a log from before them
        if ("load_log", name) not in existing and any(t == "load_log" for t, _ in existing):
            conn.execute(f"alter table raw.load_log add column {name} varchar")
    # A skipped file may have no month; warehouses from before that was logged said not null.
    nullable = conn.execute(
        "select is_nullable from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'load_log' and column_name = 'month'"
    ).fetchall()[0][0]
    if nullable == "NO":
        conn.execute("alter table raw.load_log alter column month drop not null")
    describe_raw(conn)


def replace_month(
    conn: duckdb.DuckDBPyConnection,
    sheets: list[ParsedSheet],
    loaded_at: dt.datetime,
    load_id: str,
) -> int:
    """Make the parsed file the month's current version in each sheet's table, in one
    transaction: the rows it replaces stay, marked superseded by this load. Returns rows
    written."""
    incoming = []
    for parsed in sheets:
        frame = parsed.warehouse_rows().copy()
        frame["month"] = parsed.month
        frame["source_file"] = parsed.path.name
        frame["source_sha256"] = parsed.sha256
        frame["loaded_at"] = pd.Timestamp(loaded_at)
        frame["load_id"] = load_id
        names = [name for name, _ in raw_columns(parsed.source)]
        for name in names:
            if name not in frame.columns:  # optional columns the department left out
                frame[name] = None
        incoming.append((parsed, frame[names]))
    try:
        conn.execute("begin transaction")
        for parsed, frame in incoming:
            conn.register("incoming_month", frame)
            table = parsed.source.table
            try:
                conn.execute(
                    f"update {table} set superseded_at = ?, superseded_by = ? "
                    f"where month = ? and {CURRENT}",
                    [loaded_at, load_id, parsed.month],
                )
                conn.execute(f"insert into {table} by name select * from incoming_month")
            finally:
                conn.unregister("incoming_month")
            columns = [[load_id, parsed.source.name, *c.values()] for c in parsed.cell_columns()]
            if columns:
                conn.executemany(
                    "insert into raw.load_columns values (?, ?, ?, ?, ?, ?, ?, ?)", columns
                )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return sum(len(frame) for _, frame in incoming)


def log_load(
    conn: duckdb.DuckDBPyConnection,
    *,
    source: str,
    month: str | None,
    outcome: str,
    started_at: dt.datetime,
    file_name: str | None = None,
    sha256: str | None = None,
    rows_read: int | None = None,
    failed_rules: list[str] | None = None,
    message: str | None = None,
    load_id: str | None = None,
    validated_with: str | None = None,
    findings: str | None = None,
) -> None:
    conn.execute(
        "insert into raw.load_log (source, month, file_name, sha256, rows_read, outcome, "
        "failed_rules, message, started_at, finished_at, load_id, validated_with, findings) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source,
            month,
            file_name,
            sha256,
            rows_read,
            outcome,
            ",".join(failed_rules) if failed_rules else None,
            message,
            started_at,
            utc_now(),
            load_id,
            validated_with,
            findings,
        ],
    )


def month_row_count(conn: duckdb.DuckDBPyConnection, source: Source, month: str) -> int:
    return sum(
        conn.execute(
            f"select count(*) from {part.table} where month = ? and {CURRENT}", [month]
        ).fetchall()[0][0]
        for part in source.sheets
    )


def current_files(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(source, month, file name) of every month the warehouse holds rows of, and the file
    they were read from."""
    tables = {
        name
        for (name,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    selects = [
        f"select '{source.name}' as source, month, source_file from {part.table} where {CURRENT}"
        for source in SOURCES.values()
        for part in source.sheets
        if part.name in tables
    ]
    if not selects:
        return []
    rows = conn.execute(f"select distinct * from ({' union all '.join(selects)}) order by all")
    return [tuple(row) for row in rows.fetchall()]


def rejected_by_build(conn: duckdb.DuckDBPyConnection, file: str, sha256: str) -> str | None:
    """Why a build rejected this very file before, if it did: such a file is not loaded
    again until it is re-delivered changed."""
    rows = conn.execute(
        "select message from raw.load_log where file_name = ? and sha256 = ? "
        "and outcome = 'rejected' and failed_rules = ? order by finished_at desc limit 1",
        [file, sha256, BUILD_RULE],
    ).fetchall()
    return rows[0][0] if rows else None


def loaded_sha256(conn: duckdb.DuckDBPyConnection, source: Source, month: str) -> str | None:
    """The file the month's rows came from (none for a month of no events: it is rewritten)."""
    union = " union all ".join(
        f"select source_sha256 from {part.table} where month = $month and {CURRENT}"
        for part in source.sheets
    )
    rows = conn.execute(f"select any_value(source_sha256) from ({union})", {"month": month})
    return rows.fetchall()[0][0]
