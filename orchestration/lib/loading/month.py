"""Loading one source's file for one month: find it, read it, validate it, write it, log the
attempt (`load_month`, which the ingestion asset and the benchmark both call)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.lib.delivery.files import AmbiguousDelivery, Unplaced, delivery_for, file_sha256
from orchestration.lib.delivery.problems import Problem, listed
from orchestration.lib.delivery.sources import SOURCES, Source
from orchestration.lib.loading.outcome import (
    LOADED,
    NO_FILE,
    REJECTED,
    SKIPPED,
    UNCHANGED,
    LoadOutcome,
)
from orchestration.lib.loading.verdicts import findings, kept_verdict, verdict_key
from orchestration.lib.loading.writes import (
    BUILD_RULE,
    ensure_raw_schema,
    loaded_sha256,
    log_load,
    month_row_count,
    rejected_by_build,
    replace_month,
)
from orchestration.lib.periods import utc_now
from orchestration.lib.reading.sheet import SpreadsheetError, read_file
from orchestration.lib.validation.page import write_page
from orchestration.lib.validation.suites import previous_month, validate, year_rows


def find_and_read_month(raw_dir: Path, source: Source, month: str) -> LoadOutcome:
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
    if not source.expects(month):  # a January enterprises file, an off-cycle survey wave
        message = (
            f"报送周期 / cadence: {source.cadence}; {month}无此报表 / there is no file for "
            f"{month}: check the month in the file name and the title"
        )
        return LoadOutcome(
            source.name,
            month,
            REJECTED,
            file=delivery.path,
            sha256=file_sha256(delivery.path),
            problems=[Problem("G8", message, delivery.path.name)],
        )
    try:
        sheets = read_file(delivery.path, source)
    except SpreadsheetError as error:
        return LoadOutcome(
            source.name, month, REJECTED, file=delivery.path, problems=error.problems
        )
    return LoadOutcome(
        source.name,
        month,
        LOADED,
        file=delivery.path,
        sha256=sheets[0].sha256,
        rows_read=sum(len(parsed.rows) for parsed in sheets),
        sheets=sheets,
    )


def apply_validation(outcome: LoadOutcome, problems: list[Problem]) -> LoadOutcome:
    """Record what validation found; any error-severity problem rejects the file."""
    outcome.problems = [*outcome.problems, *problems]
    if any(p.severity == "error" for p in problems):
        outcome.status = REJECTED
    return outcome


def log_unplaced(conn: duckdb.DuckDBPyConnection, raw_dir: Path, files: list[Unplaced]) -> None:
    """Record each file no load reads, once for each version of it (in a warehouse whose
    raw schema is ensured)."""
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
    """Write a parsed month (or record why not) and log the attempt in raw.load_log (of a
    warehouse whose raw schema is ensured)."""
    started = utc_now()
    load_id = uuid.uuid4().hex
    if outcome.status == LOADED and outcome.sheets:
        source = SOURCES[outcome.source]
        if loaded_sha256(conn, source, outcome.month) == outcome.sha256:
            outcome.status = UNCHANGED  # the same file again: touch no data
        else:
            replace_month(conn, outcome.sheets, started, load_id)
            outcome.load_id = load_id
        outcome.rows_in_warehouse = month_row_count(conn, source, outcome.month)
    validated = outcome.checked and outcome.status in (LOADED, UNCHANGED)
    if validated and outcome.validated_with is None:  # the verdict, for a delivery again
        outcome.validated_with = verdict_key(
            conn, SOURCES[outcome.source], outcome.month, outcome.file.name, outcome.sha256
        )
    if outcome.status != NO_FILE:
        log_load(
            conn,
            source=outcome.source,
            month=outcome.month,
            outcome=outcome.status,
            started_at=started,
            file_name=outcome.file.name if outcome.file else None,
            sha256=outcome.sha256,
            rows_read=outcome.rows_read,
            failed_rules=outcome.rules,
            message=listed(outcome.problems) or None,
            load_id=load_id,
            validated_with=outcome.validated_with if validated else None,
            findings=findings(outcome) if validated else None,
        )
    return outcome


def validate_month(
    outcome: LoadOutcome, conn: duckdb.DuckDBPyConnection, gx_dir: Path, docs_dir: Path
) -> None:
    """Run each sheet's GX suite on the parsed month, recording what it found and checked.

    GX failing to run rejects the file: a check never passes on a validation that did not run.
    """
    for parsed in outcome.sheets:
        source, month = parsed.source, outcome.month
        try:
            validation = validate(
                parsed,
                previous_month(conn, source, month),
                gx_dir,
                docs_dir,
                year_rows(conn, source, month),
            )
        except Exception as exc:  # any GX failure, whatever its type
            problem = Problem(
                "GX", f"validation could not run: {exc!r}", parsed.path.name, parsed.sheet
            )
            apply_validation(outcome, [problem])
            continue
        apply_validation(outcome, validation.problems)
        outcome.checked += validation.checked


def load_month(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    source: Source,
    month: str,
    gx_dir: Path,
    docs_dir: Path,
    unplaced: Sequence[Unplaced] = (),
    pages_dir: Path | None = None,
) -> tuple[LoadOutcome, Path | None]:
    """One source's month end to end: find and read the file, validate it (unless a dbt build
    already rejected this very file), write it, and log the attempt and the files no load
    reads. Returns the outcome and, given `pages_dir`, the validation's page
    (validation/page.py) of the delivered file."""
    ensure_raw_schema(conn)
    kept = kept_verdict(conn, raw_dir, source, month)
    outcome = kept or find_and_read_month(raw_dir, source, month)
    outcome.validated_at = utc_now()
    earlier = outcome.sheets and rejected_by_build(conn, outcome.file.name, outcome.sha256)
    if kept:
        pass  # the same file, compared with the same files, under the same rules
    elif earlier:
        problem = Problem(
            BUILD_RULE,
            f"{earlier}; re-deliver the file corrected",
            outcome.file.name,
            outcome.sheets[0].sheet,
        )
        apply_validation(outcome, [problem])
    elif outcome.sheets:
        validate_month(outcome, conn, gx_dir, docs_dir)
    write_month(conn, outcome)  # writes nothing of a rejected file; logs the attempt
    log_unplaced(conn, raw_dir, list(unplaced))
    page = None
    if pages_dir is not None and outcome.file is not None:
        page = write_page(outcome, pages_dir)
    return outcome, page
