"""The release file: a copy of the warehouse's `release` schema (and nothing else) in its own
DuckDB file, psw_release.duckdb, with each month's rows as Parquet beside it
(<YYYY-MM>/<table>.parquet; a table without a period whole in each month's folder).

Readers outside the bureau open this file. It is written beside the old one and replaced by
an atomic rename, the Parquet folders first and the DuckDB file last: a reader sees the last
release or the new one, whole. A run asked to stop replaces nothing.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.publishing import lock

SCHEMA = "release"
FILE_NAME = "psw_release.duckdb"


class ReleaseStopped(Exception):
    """A stop was asked for while the release was written: the last release stays."""


@dataclass(frozen=True)
class Release:
    path: Path
    tables: dict[str, int]  # table: rows
    months: list[str]
    held: int  # released values without a figure (CONF_STATUS C)


def _quoted(text: Path | str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def write_release(warehouse: Path, release_dir: Path) -> Release:
    """Copy the warehouse's release schema into release_dir/psw_release.duckdb, and each month's
    rows into release_dir/<YYYY-MM>/<table>.parquet."""
    release_dir.mkdir(parents=True, exist_ok=True)
    partial = release_dir / f".{FILE_NAME}.partial"
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as conn:
        conn.execute(f"attach {_quoted(warehouse)} as warehouse (read_only)")
        tables = [
            name
            for (name,) in conn.execute(
                "select table_name from duckdb_tables() where database_name = 'warehouse' "
                "and schema_name = ? order by 1",
                [SCHEMA],
            ).fetchall()
        ]
        if not tables:
            raise FileNotFoundError(f"{warehouse} has no {SCHEMA} schema: the dbt build makes it")
        conn.execute(f"create schema {SCHEMA}")
        counts = {}
        for table in tables:
            conn.execute(
                f"create table {SCHEMA}.{table} as select * from warehouse.{SCHEMA}.{table}"
            )
            counts[table] = conn.execute(f"select count(*) from {SCHEMA}.{table}").fetchone()[0]
            _copy_comments(conn, table)
        conn.execute("detach warehouse")
        months = _write_parquet(conn, tables, release_dir)
        held = conn.execute(
            f"select count(*) from {SCHEMA}.indicator_value where conf_status != 'F'"
        ).fetchone()[0]
        conn.execute("checkpoint")
    if lock.stop_requested():
        partial.unlink(missing_ok=True)
        raise ReleaseStopped("stopped before the release was replaced")
    os.replace(partial, release_dir / FILE_NAME)
    return Release(release_dir / FILE_NAME, counts, months, held)


def _copy_comments(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    """The descriptions dbt wrote (中文 / English), on the released table and its columns."""
    (comment,) = conn.execute(
        "select comment from duckdb_tables() where database_name = 'warehouse' "
        "and schema_name = ? and table_name = ?",
        [SCHEMA, table],
    ).fetchone()
    if comment:
        conn.execute(f"comment on table {SCHEMA}.{table} is {_quoted(comment)}")
    for column, text in conn.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'warehouse' "
        "and schema_name = ? and table_name = ? and comment is not null",
        [SCHEMA, table],
    ).fetchall():
        conn.execute(f'comment on column {SCHEMA}.{table}."{column}" is {_quoted(text)}')


def _write_parquet(conn: duckdb.DuckDBPyConnection, tables: list[str], release_dir: Path) -> list:
    """Each month's folder of Parquet files, each written whole and then renamed into place."""
    periodic = {
        table
        for (table,) in conn.execute(
            "select table_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and column_name = 'period'",
            [SCHEMA],
        ).fetchall()
    }
    months = [
        month
        for (month,) in conn.execute(
            f"select distinct strftime(period, '%Y-%m') from {SCHEMA}.indicator_value order by 1"
        ).fetchall()
    ]
    for month in months:
        folder = release_dir / f".{month}.partial"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for table in tables:
            where = f"where strftime(period, '%Y-%m') = '{month}'" if table in periodic else ""
            conn.execute(
                f"copy (select * from {SCHEMA}.{table} {where}) "
                f"to {_quoted(folder / f'{table}.parquet')} (format parquet)"
            )
        if lock.stop_requested():
            shutil.rmtree(folder, ignore_errors=True)
            raise ReleaseStopped("stopped before the release was replaced")
        final = release_dir / month
        if final.exists():
            old = release_dir / f".{month}.old"
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            folder.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            folder.rename(final)
    return months
