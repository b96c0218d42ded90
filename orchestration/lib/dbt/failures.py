"""Which delivered file made a dbt build fail, and rejecting it so that the next build passes.

Validation is meant to refuse everything a dbt test of the warehouse would refuse. Should a
file's rows slip through anyway, the build fails on them; left there, they would fail every
later build the same way and the marts would stay frozen. psw's tests return the failing rows
whole (dbt_project/macros/failing_rows.sql), and every row carries the file it came from, so
the failed tests name the files: their rows are taken out of `raw`, the load log records the
file as rejected by the build (a later load of the same file is refused with that reason), and
the build is run again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.problems import first_shown
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.loading.writes import BUILD_RULE, CURRENT, log_load
from orchestration.lib.periods import utc_now


@dataclass
class Culprit:
    source: str
    month: str
    file: str
    sha256: str
    tests: list[str] = field(default_factory=list)  # "test on model.column"
    rows: set[int] = field(default_factory=set)  # Excel rows, where the failing rows say

    def summary(self) -> str:
        rows = first_shown(sorted(self.rows))
        where = f" rows {','.join(map(str, rows))}" if rows else ""
        text = catalogue()[BUILD_RULE].text
        return f"{self.file}: {BUILD_RULE} {text}{where} ({'; '.join(sorted(set(self.tests)))})"


def _failing_rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    """(source_file, excel_row) of a failed test's rows; [] when they do not say."""
    for columns in ("source_file, excel_row", "source_file, null"):
        try:
            return conn.execute(
                f"select distinct {columns} from ({sql}) as failing "
                "where source_file is not null limit 1000"
            ).fetchall()
        except duckdb.Error:
            continue
    return []


def _empty_columns(conn: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """The columns a not_null_columns test found empty (its rows say), as `a, b`."""
    try:
        rows = conn.execute(f"select distinct empty_columns from ({sql}) as failing").fetchall()
    except duckdb.Error:
        return None
    return ", ".join(sorted({c for (names,) in rows for c in names.split(", ")})) or None


def _test_label(node: dict, conn: duckdb.DuckDBPyConnection, sql: str) -> str:
    model = (node.get("attached_node") or "").split(".")[-1] or "?"
    column = node.get("column_name")
    test = (node.get("test_metadata") or {}).get("name") or node.get("name", "test")
    if test == "not_null_columns":
        test, column = "not_null", _empty_columns(conn, sql)
    return f"{test} on {model}{'.' + column if column else ''}"


def find_culprits(
    conn: duckdb.DuckDBPyConnection, run_results: dict, manifest: dict
) -> list[Culprit]:
    """The delivered files whose rows the failed tests of a build returned."""
    by_file: dict[str, Culprit] = {}
    for result in run_results.get("results", []):
        node = manifest.get("nodes", {}).get(result.get("unique_id"), {})
        if result.get("status") not in ("fail", "error") or node.get("resource_type") != "test":
            continue
        sql = result.get("compiled_code") or node.get("compiled_code")
        failing = _failing_rows(conn, sql) if sql else []
        label = _test_label(node, conn, sql) if failing else None
        for file, excel_row in failing:
            if file not in by_file:
                placed = _place(conn, file)
                if placed is None:
                    continue
                by_file[file] = Culprit(*placed)
            by_file[file].tests.append(label)
            if excel_row is not None:
                by_file[file].rows.add(int(excel_row))
    return list(by_file.values())


def _place(conn: duckdb.DuckDBPyConnection, file: str) -> tuple[str, str, str, str] | None:
    """(source, month, file, sha256) of a file whose rows are in `raw`."""
    for source in SOURCES.values():
        for part in source.sheets:
            rows = conn.execute(
                f"select month, any_value(source_sha256) from {part.table} "
                f"where source_file = ? and {CURRENT} group by month",
                [file],
            ).fetchall()
            if rows:
                return source.name, rows[0][0], file, rows[0][1]
    return None


def reject(conn: duckdb.DuckDBPyConnection, culprit: Culprit) -> None:
    """Take the file's rows out of `raw`, make the version it replaced current again, and
    record why."""
    source = SOURCES[culprit.source]
    started = utc_now()
    for part in source.sheets:  # the file is one delivery: all of it goes
        loads = conn.execute(
            f"select distinct load_id from {part.table} "
            f"where source_file = ? and source_sha256 = ? and {CURRENT}",
            [culprit.file, culprit.sha256],
        ).fetchall()
        conn.execute(
            f"delete from {part.table} where source_file = ? and source_sha256 = ? and {CURRENT}",
            [culprit.file, culprit.sha256],
        )
        for (load_id,) in loads:
            conn.execute(
                f"update {part.table} set superseded_at = null, superseded_by = null "
                "where superseded_by = ?",
                [load_id],
            )
    log_load(
        conn,
        source=culprit.source,
        month=culprit.month,
        outcome="rejected",
        started_at=started,
        file_name=culprit.file,
        sha256=culprit.sha256,
        failed_rules=[BUILD_RULE],
        message=f"REJECTED by the dbt build: {culprit.summary()}",
    )
