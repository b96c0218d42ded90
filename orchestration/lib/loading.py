"""Loading one source's file for one month: find it, read it, write it, log the attempt."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.lib.raw_files import AmbiguousDelivery, Unplaced, delivery_for
from orchestration.lib.sources import Source
from orchestration.lib.spreadsheet import (
    ParsedSheet,
    Problem,
    SpreadsheetError,
    file_sha256,
    read_sheet,
)
from orchestration.lib.warehouse import (
    ensure_raw_schema,
    log_load,
    month_row_count,
    replace_month,
    utc_now,
)

LOADED, UNCHANGED, NO_FILE, REJECTED = "loaded", "unchanged", "no_file", "rejected"
SKIPPED = "skipped"  # a file no load reads (raw_files.unplaced_files)


@dataclass
class LoadOutcome:
    source: str
    month: str
    outcome: str  # loaded | unchanged | no_file | rejected
    file: Path | None = None
    sha256: str | None = None
    rows_read: int = 0
    rows_in_warehouse: int = 0
    parsed: ParsedSheet | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def rules(self) -> list[str]:
        return sorted({p.rule for p in self.problems}, key=_rule_order)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def summary(self) -> str:
        """One line: the file, the rules it breaks and the first rows that break them."""
        parts = []
        for problem in self.errors or self.warnings:
            rows = (
                f" rows {','.join(map(str, problem.rows))}"
                if problem.rows
                else (f" row {problem.row}" if problem.row else "")
            )
            parts.append(f"{problem.rule}{rows}")
        name = self.file.name if self.file else self.source
        return f"{name}: {'; '.join(parts)}"


def _rule_order(rule: str) -> tuple[str, int]:
    digits = "".join(ch for ch in rule if ch.isdigit())
    return (rule.rstrip("0123456789"), int(digits) if digits else 0)


def loaded_sha256(conn: duckdb.DuckDBPyConnection, source: Source, month: str) -> str | None:
    rows = conn.execute(
        f"select any_value(source_sha256) from {source.table} where month = ?", [month]
    ).fetchall()
    return rows[0][0] if rows else None


def parse_month(raw_dir: Path, source: Source, month: str) -> LoadOutcome:
    """Find and read the month's file; the outcome says what was found and what is wrong."""
    try:
        delivery = delivery_for(raw_dir, source.name, month)
    except AmbiguousDelivery as error:
        return LoadOutcome(
            source.name,
            month,
            REJECTED,
            file=error.paths[0],
            problems=[Problem("G1", str(error), " | ".join(p.name for p in error.paths))],
        )
    if delivery is None:
        return LoadOutcome(source.name, month, NO_FILE)
    try:
        parsed = read_sheet(delivery.path, source)
    except SpreadsheetError as error:
        return LoadOutcome(
            source.name, month, REJECTED, file=delivery.path, problems=error.problems
        )
    return LoadOutcome(
        source.name,
        month,
        LOADED,
        file=delivery.path,
        sha256=parsed.sha256,
        rows_read=len(parsed.rows),
        parsed=parsed,
    )


def apply_validation(outcome: LoadOutcome, problems: list[Problem]) -> LoadOutcome:
    """Record what validation found; any error-severity problem rejects the file."""
    outcome.problems = [*outcome.problems, *problems]
    if any(p.severity == "error" for p in problems):
        outcome.outcome = REJECTED
    return outcome


def log_unplaced(conn: duckdb.DuckDBPyConnection, raw_dir: Path, files: list[Unplaced]) -> None:
    """Record each file no load reads, once for each version of it."""
    ensure_raw_schema(conn)
    for file in files:
        name = str(file.path.relative_to(raw_dir))
        sha = file_sha256(file.path)
        seen = conn.execute(
            "select count(*) from raw.load_log where outcome = ? and file_name = ? and sha256 = ?",
            [SKIPPED, name, sha],
        ).fetchall()[0][0]
        if not seen:
            log_load(
                conn,
                source=file.source or "-",
                month=file.month,
                outcome=SKIPPED,
                started_at=utc_now(),
                file_name=name,
                sha256=sha,
                failed_rules=["G1"],
                message=f"SKIPPED {name}: {file.reason}",
            )


def write_month(conn: duckdb.DuckDBPyConnection, outcome: LoadOutcome) -> LoadOutcome:
    """Write a parsed month (or record why not) and log the attempt in raw.load_log."""
    started = utc_now()
    ensure_raw_schema(conn)
    source = outcome.parsed.source if outcome.parsed else None
    if outcome.outcome == LOADED and source is not None:
        if loaded_sha256(conn, source, outcome.month) == outcome.sha256:
            outcome.outcome = UNCHANGED  # the same file again: touch no data
        else:
            replace_month(conn, outcome.parsed, started)
        outcome.rows_in_warehouse = month_row_count(conn, source, outcome.month)
    if outcome.outcome != NO_FILE:
        log_load(
            conn,
            source=outcome.source,
            month=outcome.month,
            outcome=outcome.outcome,
            started_at=started,
            file_name=outcome.file.name if outcome.file else None,
            sha256=outcome.sha256,
            rows_read=outcome.rows_read,
            failed_rules=outcome.rules,
            message="\n".join(str(p) for p in outcome.problems[:20]) or None,
        )
    return outcome
