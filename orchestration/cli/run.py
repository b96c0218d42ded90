"""The commands that run the pipeline: `make run` (every month of the raw folder, then the
latest month's report) and `make report`.

Each month is ingested in its own Dagster run, in order (a YTD figure is checked against the
month before); then one dbt run builds all those months at once. The runs are recorded in
$DAGSTER_HOME, so `make ui` shows them afterwards. Dagster is imported by these commands only,
after the stop handler is set: `query` stays quick, and a stop during the import is psw's.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.cli.jobs import (
    PID_TAG,
    execute,
    fail_dead_runs,
    interrupted,
    materialized,
    step_failures,
)
from orchestration.cli.read import reported_months, summary
from orchestration.lib import settings
from orchestration.lib.dbt.parse import parse_ahead
from orchestration.lib.delivery.files import (
    gone_files,
    missing_months,
    months_delivered,
    unplaced_files,
)
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.loading.writes import current_files
from orchestration.lib.publishing import lock, preflight, readers, run_log

if TYPE_CHECKING:
    import dagster as dg

STOPPED = 143  # the shell's status for a process ended by SIGTERM


def _report_failures(
    result: dg.ExecuteInProcessResult, month: str | None, failure_log: Path
) -> int:
    """Print each failed step and log it where the run-failure sensor logs daemon runs."""
    failed = step_failures(result)
    for _step, message in failed:
        print(textwrap.indent(message, "  "), flush=True)
        _failure_messages.append(message)
    if not result.success:
        run_log.append(
            failure_log, run_log.failure_lines(result.job_def.name, result.run_id, month, failed)
        )
    return len(failed) or (0 if result.success else 1)


_failure_messages: list[str] = []  # this process's failed steps, for what they say of the disk
_STARTED = time.time()


def load(months: list[str], instance: dg.DagsterInstance, logs: Path) -> int:
    """Ingest each month in its own run, in order, then build dbt once over all of them."""
    failure_log = logs / "run_failures.log"
    tags = {PID_TAG: str(os.getpid())}
    with parse_ahead(settings.warehouse_path(), logs / "dbt_parse.log"):
        failed = ingest(months, instance, tags, failure_log)
    if lock.stop_requested():
        return failed
    dbt_log = logs / "dbt_build.log"
    print(f"dbt build {months[0]}..{months[-1]} (log: {dbt_log}) …", flush=True)
    dbt_log.parent.mkdir(parents=True, exist_ok=True)
    # dagster-dbt echoes dbt's log on stdout; the terminal gets the summary instead.
    with open(dbt_log, "w") as log, contextlib.redirect_stdout(log):
        result = execute(
            "transform",
            instance,
            tags
            | {
                "dagster/asset_partition_range_start": months[0],
                "dagster/asset_partition_range_end": months[-1],
            },
        )
    if interrupted(result):
        lock.request_stop()
        return failed
    return failed + _report_failures(result, f"{months[0]}..{months[-1]}", failure_log)


def ingest(months: list[str], instance: dg.DagsterInstance, tags: dict, failure_log: Path) -> int:
    """Each month's ingestion run, in order; the files that failed."""
    failed = 0
    for month in months:
        if lock.stop_requested():
            return failed
        result = execute("ingest_month", instance, tags, partition_key=month)
        if interrupted(result):
            lock.request_stop()
            return failed
        loaded = materialized(result)
        parts = [
            f"{name} {meta.get('rows_read', 0)} rows ({meta['outcome']})"
            for name, meta in loaded.items()
            if meta.get("outcome") != "no_file"
        ]
        print(f"{month}  {'; '.join(parts) or 'no files'}", flush=True)
        for meta in loaded.values():
            if meta.get("warnings"):
                print(f"  warning {meta['warnings']}", flush=True)
        failed += _report_failures(result, month, failure_log)
    return failed


def write_month_report(month: str, instance: dg.DagsterInstance, logs: Path) -> int:
    """Write the release's draft and the month's report from it (one run of the
    `monthly_report` job) and print where the report's files are."""
    result = execute("monthly_report", instance, {PID_TAG: str(os.getpid())}, partition_key=month)
    if interrupted(result):
        lock.request_stop()
        return 0
    written = materialized(result)
    draft, report = written.get("draft"), written.get("monthly_report")
    if draft:
        print(
            f"\n发布草稿 / the release's draft, for the bureau only ({draft['held']} figures "
            f"held by disclosure control; figures changed in "
            f"{draft['changed_months'] or 'no month'}): {draft['path']}",
            flush=True,
        )
    if report:
        print(f"\n月报（草稿，供审核）/ report {month}, the draft for review:", flush=True)
        print(f"  {report['workbook']}", flush=True)
        print(f"  {report['analysis']}", flush=True)
        print(f"  {report['document']}", flush=True)
        if "pdf" in report:
            print(f"  {report['pdf']}", flush=True)
    return _report_failures(result, month, logs / "run_failures.log")


def publish_due(instance: dg.DagsterInstance, logs: Path) -> int:
    """One run of the `release` job (publish every approved month whose time has come), then
    each month's state. When nothing is due there is no run to record: the release is only
    made whole here (a new release folder gets its tables, empty) and the states printed."""
    from orchestration.lib.release import draft, export

    drafts, now = settings.drafts_dir(), settings.now()
    states = draft.month_states(drafts)
    if states and not any(s.due(now) for s in states.values()):
        # nothing to release: the readers' file made whole if it is not (a new release
        # folder gets its empty tables), here, without a run
        published = export.publish(drafts, settings.release_dir(), now)
        said = {f"state/{m}": s.says(now) for m, s in sorted(published.states.items())}
        _print_states({**said, "path": str(published.path)})
        return 0
    result = execute("release", instance, {PID_TAG: str(os.getpid())})
    if interrupted(result):
        lock.request_stop()
        return 0
    published = materialized(result).get("published")
    if published:
        _print_states(published)
    return _report_failures(result, None, logs / "run_failures.log")


def _print_states(published: dict) -> None:
    print("\n发布 / release (Beijing time):", flush=True)
    for key, said in published.items():
        if key.startswith("state/"):
            print(f"  {key[6:]}  {said}", flush=True)
    print(f"  readers open {published['path']}", flush=True)


def sign_samples() -> None:
    """The samples' set-up ($PSW_SAMPLE_SIGNOFF=1, set by the Makefile for raw/): each
    month's first draft approved in the name of its calendar's 审签. A later draft (a
    correction) waits for a person: `make approve MONTH=… BY=…`."""
    from orchestration.lib.release import draft

    drafts, now = settings.drafts_dir(), settings.now()
    if not (drafts / draft.DRAFT_NAME).exists():
        return
    signers = draft.calendar(drafts / draft.DRAFT_NAME)
    states = draft.month_states(drafts, signers)
    signed = []
    for month, state in sorted(states.items()):
        approver = signers.get(month, {}).get("approver")
        if state.state == "draft" and state.version == 1 and approver:
            draft.approve(drafts, month, approver, now)
            signed.append(f"{month} ({approver})")
    if signed:
        print(
            f"\nsamples' sign-off (PSW_SAMPLE_SIGNOFF=1): approved the first drafts of "
            f"{', '.join(signed)} in the name of the calendar's 审签",
            flush=True,
        )


def release(action: str, month: str | None, by: str | None) -> int:
    """`make approve MONTH=… BY=…`, `make release`, `make release-status`."""
    from orchestration.lib.release import draft

    drafts, now = settings.drafts_dir(), settings.now()
    if action == "status":
        states = draft.month_states(drafts)
        if not states:
            print(f"no draft in {drafts}: `make run` writes it", file=sys.stderr)
            return 1
        for m, state in sorted(states.items()):
            print(f"{m}  {state.says(now)}")
        return 0
    if action == "approve":
        if month is None or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            print(
                "psw: approve needs the month and the approver, e.g. make approve "
                "MONTH=2025-06 BY=张三 (release approve 2025-06 --by 张三)",
                file=sys.stderr,
            )
            return 2
        try:
            state = draft.approve(drafts, month, by or "", now)
        except draft.ApprovalRefused as error:
            print(f"psw: not approved: {error}", file=sys.stderr)
            return 1
        print(f"{month}  {state.says(now)}", flush=True)
    lock.watch_stop_signals()
    try:
        import dagster as dg

        prepare_dagster_home()
        with dg.DagsterInstance.get() as instance:
            failed = publish_due(instance, settings.warehouse_path().parent / "logs")
    except KeyboardInterrupt:
        lock.request_stop()
    if lock.stop_requested():
        print("psw: stopped; the release keeps its last version", file=sys.stderr)
        return STOPPED
    return 1 if failed else 0


def prepare_dagster_home() -> Path:
    """$DAGSTER_HOME (default .dagster_home/) with psw's instance settings in it."""
    home = settings.dagster_home()
    os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(settings.REPO_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return home


def report(warehouse: Path, month: str | None) -> int:
    """`make report MONTH=2025-06`: write one month's workbook and analysis."""
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        print(f"psw: MONTH must look like 2025-06, not {month!r}", file=sys.stderr)
        return 2
    months = reported_months(warehouse)
    if not months:
        print(f"psw: {warehouse} has no indicators yet: run `make run` first", file=sys.stderr)
        return 1
    month = month or months[-1]
    if month not in months:
        print(
            f"psw: {warehouse} has no indicators for {month}; it has {', '.join(months)}",
            file=sys.stderr,
        )
        return 1
    try:
        preflight.preflight(warehouse, also=written_folders())
        lock.acquire(warehouse)
    except (lock.WarehouseBusy, preflight.WarehouseUnusable) as error:
        print(f"psw: {error}", file=sys.stderr)
        return 1
    lock.watch_stop_signals()
    failed = 0
    try:  # a stop while Dagster is imported, or while the report is written, ends here
        import dagster as dg

        prepare_dagster_home()
        with dg.DagsterInstance.get() as instance:
            failed = write_month_report(month, instance, warehouse.parent / "logs")
            if not lock.stop_requested():
                failed += publish_due(instance, warehouse.parent / "logs")
    except KeyboardInterrupt:
        lock.request_stop()
    except RuntimeError:
        # a stop that lands inside a DuckDB query reaches Python as its "Query interrupted"
        if not lock.stop_requested():
            raise
    if lock.stop_requested():
        print("psw: stopped; the report keeps its last version", file=sys.stderr)
        return STOPPED
    if failed:
        for line in disk_notes(warehouse):
            print(line, file=sys.stderr)
    return 1 if failed else 0


def written_folders() -> tuple[tuple[Path, str], ...]:
    """The folders a run writes besides the warehouse's own, each with what to do when one
    cannot be written: the preflight checks them all before any work."""
    return (
        (settings.dagster_home(), "set DAGSTER_HOME to a writable place"),
        (settings.reports_dir(), "set PSW_REPORT_DIR to a writable place"),
        (settings.DBT_PROJECT_DIR / "target", "dbt writes there: make the checkout writable"),
    )


def disk_notes(warehouse: Path) -> list[str]:
    """After a failed step: whether a disk the run writes is full, in one line each."""
    dbt_log = warehouse.parent / "logs" / "dbt_build.log"
    said = list(_failure_messages)
    if dbt_log.exists() and dbt_log.stat().st_mtime >= _STARTED:  # this process's build
        said.append(dbt_log.read_text(encoding="utf-8", errors="replace")[-100_000:])
    folders = (warehouse.parent, *(folder for folder, _ in written_folders()))
    lines = preflight.disk_full(folders, tuple(said))
    with contextlib.suppress(OSError):  # the disk may be too full for the log as well
        run_log.append(warehouse.parent / "logs" / "run_failures.log", lines)
    return lines


def delivery_notes(raw: Path, warehouse: Path) -> list[str]:
    """What the raw folder lacks: a month a source's cadence makes due between the months it
    delivered, and a file the warehouse was loaded from that is no longer there."""
    lines = [
        f"MISSING {source} {month}: due ({SOURCES[source].cadence}) between the months "
        f"{source} delivered, and no file for it in {raw / source}"
        for source, month in missing_months(raw)
    ]
    if warehouse.exists():
        with readers.open_published(warehouse) as conn:
            loaded = current_files(conn)
        lines += [
            f"GONE {raw / source / file}: {source} {month} was loaded from it and it is no "
            "longer in the raw folder; the warehouse keeps that month's rows"
            for source, month, file in gone_files(raw, loaded)
        ]
    return lines


def run(warehouse: Path, months_arg: str | None) -> int:
    """`make run`: every loadable month of the raw folder, one writer at a time."""
    raw = settings.raw_dir()
    try:
        preflight.preflight(warehouse, also=written_folders())
        lock.acquire(warehouse)
    except (lock.WarehouseBusy, preflight.WarehouseUnusable) as error:
        print(f"psw: {error}", file=sys.stderr)
        return 1
    lock.watch_stop_signals()
    failed, skipped = 0, []
    try:  # a stop (SIGTERM, Ctrl-C) at any step, Dagster's import and the report's included
        from orchestration.defs.partitions import monthly_partitions  # imports Dagster

        prepare_dagster_home()
        loadable = monthly_partitions.get_partition_keys()
        skipped = unplaced_files(raw, loadable)
        for file in skipped:
            print(f"SKIPPED {file.path}: {file.reason}", flush=True)
        for line in delivery_notes(raw, warehouse):
            print(line, flush=True)
        months = months_delivered(raw, loadable)
        if months_arg:
            first, _, last = months_arg.partition("..")
            months = [m for m in months if first <= m <= (last or first)]
        if not months:
            print(f"no spreadsheets to load under {raw}", file=sys.stderr)
            return 1
        print(f"psw: {len(months)} month(s) in {raw} -> {warehouse}", flush=True)
        import dagster as dg

        with dg.DagsterInstance.get() as instance:
            for run_id in fail_dead_runs(instance):
                print(f"marked failed: run {run_id[:8]} of an earlier `make run` that was killed")
            failed = load(months, instance, warehouse.parent / "logs")
        if not lock.stop_requested():
            print(flush=True)
            print(summary(str(warehouse)), flush=True)
            # the report of the latest month this run loaded (or the warehouse's latest)
            reported = reported_months(warehouse)
            month = max(
                (m for m in months if m in reported), default=reported[-1] if reported else None
            )
            if month is not None:
                with dg.DagsterInstance.get() as instance:
                    failed += write_month_report(month, instance, warehouse.parent / "logs")
                    if settings.sample_signoff() and not lock.stop_requested():
                        sign_samples()
                    if not lock.stop_requested():
                        failed += publish_due(instance, warehouse.parent / "logs")
    except KeyboardInterrupt:
        lock.request_stop()
    except RuntimeError:
        # a stop that lands inside a DuckDB query reaches Python as its "Query interrupted"
        if not lock.stop_requested():
            raise
    if lock.stop_requested():
        print(
            "psw: stopped; a write in progress was rolled back and no later step was started "
            "(what finished before is published; a report being written keeps its last "
            "version)",
            file=sys.stderr,
        )
        return STOPPED
    failed += len(skipped)
    if failed:
        for line in disk_notes(warehouse):
            print(line, file=sys.stderr)
        print(
            f"\n{failed} file(s) or step(s) failed or were skipped: see the SKIPPED, REJECTED "
            f"and FAILED lines above, {warehouse.parent / 'logs' / 'run_failures.log'} and "
            "`make ui`.",
            file=sys.stderr,
        )
    return 1 if failed else 0
