"""`make run`: load every month found in $PSW_RAW_DIR, build the warehouse, print a summary.

Each month is ingested in its own Dagster run, in order (a YTD figure is checked against the
month before); then one dbt run builds all those months at once. The runs are recorded in
$DAGSTER_HOME, so `make ui` shows them afterwards.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import gc
import http
import http.server
import os
import shutil
import sys
import textwrap
import time
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.lib import settings
from orchestration.lib.delivery.files import (
    gone_files,
    missing_months,
    months_delivered,
    unplaced_files,
)
from orchestration.lib.publishing import lock, preflight, readers, run_log

if TYPE_CHECKING:  # Dagster is imported by the commands that run it: `query` stays quick
    import dagster as dg

STOPPED = 143  # the shell's status for a process ended by SIGTERM

# The full event log stays in $DAGSTER_HOME for the UI; the terminal gets psw's own lines,
# which name every rejected file (Dagster's console logger would add stack traces).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
HEADLINE = (
    "ENT_COUNT",
    "ENT_REV_YTD",
    "ENT_REV_YOY",
    "ENT_STAR_COUNT",
    "PRJ_COUNT",
    "PRJ_PLAN_YEAR",
    "PRJ_INV_YTD",
    "PRJ_INV_RATE",
    "PRJ_START_RATE",
    "ZONE_COUNT",
    "ZONE_REV_YTD",
    "SVY_RESPONDENTS",
)


def _materialized(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    out = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        out[materialization.asset_key.path[-1]] = {
            k: getattr(v, "value", v) for k, v in materialization.metadata.items()
        }
    return out


def _failures(result: dg.ExecuteInProcessResult) -> list[tuple[str, str]]:
    from orchestration.defs.sensors import step_failures

    return step_failures(e for e in result.all_events if e.is_step_failure)


def _report_failures(
    result: dg.ExecuteInProcessResult, month: str | None, failure_log: Path
) -> int:
    """Print each failed step and log it where the run-failure sensor logs daemon runs."""
    failures = _failures(result)
    for _step, message in failures:
        print(textwrap.indent(message, "  "), flush=True)
        _failure_messages.append(message)
    if not result.success:
        run_log.append(
            failure_log, run_log.failure_lines(result.job_def.name, result.run_id, month, failures)
        )
    return len(failures) or (0 if result.success else 1)


_failure_messages: list[str] = []  # this process's failed steps, for what they say of the disk
_STARTED = time.time()

PID_TAG = "psw/cli_pid"
LOCATION_NAME = "psw"  # workspace.yaml's: runs of `make run` show under this code location
DOCS = Path(__file__).resolve().parent.parent / "docs"
CONTRACT_PAGE, INDICATORS_PAGE = DOCS / "contract.md", DOCS / "indicators.md"


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs of an earlier `make run` whose process died (killed, or the
    machine went down): otherwise they stay "started" in the UI for ever."""
    import dagster as dg

    in_progress = dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    )
    failed = []
    for run in instance.get_runs(filters=in_progress):
        pid = run.tags.get(PID_TAG)
        if not pid or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            instance.report_run_failed(run, f"its process ({pid}) ended without finishing")
            failed.append(run.run_id)
        except PermissionError:
            pass  # alive, someone else's
    return failed


def load(months: list[str], instance: dg.DagsterInstance, logs: Path) -> int:
    """Ingest each month in its own run, in order, then build dbt once over all of them."""
    from orchestration.defs.dbt.assets import parse_ahead

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
    if _interrupted(result):
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
        if _interrupted(result):
            lock.request_stop()
            return failed
        loaded = _materialized(result)
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
    """Materialise the month's report asset (one run of the `monthly_report` job) and print
    where its files are."""
    result = execute("monthly_report", instance, {PID_TAG: str(os.getpid())}, partition_key=month)
    if _interrupted(result):
        lock.request_stop()
        return 0
    report = _materialized(result).get("monthly_report")
    if report:
        print(f"\n月报 / report {month}:", flush=True)
        print(f"  {report['workbook']}", flush=True)
        print(f"  {report['analysis']}", flush=True)
    return _report_failures(result, month, logs / "run_failures.log")


def execute(
    job_name: str, instance: dg.DagsterInstance, tags: dict, partition_key: str | None = None
):
    """A run of the code location's job, executed here, in this process (its output stays in
    the terminal). Unlike `execute_in_process`, the run carries the code location's origin, as
    a run launched from the UI does, so the UI shows it on the Overview timeline and the Jobs
    page; its steps run from the same module `make ui` loads (workspace.yaml)."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.execution.api import create_execution_plan, execute_run
    from dagster._core.remote_origin import (
        ManagedGrpcPythonEnvCodeLocationOrigin,
        RemoteJobOrigin,
        RemoteRepositoryOrigin,
    )
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    module, root = "orchestration.definitions", str(settings.REPO_ROOT)
    job = ReconstructableRepository.for_module(module, "defs", root).get_reconstructable_job(
        job_name
    )
    job_def = job.get_definition()
    if partition_key is not None:
        tags = {**tags, "dagster/partition": partition_key}
    plan = create_execution_plan(job, run_config=QUIET, tags=tags)
    location = ManagedGrpcPythonEnvCodeLocationOrigin(
        LoadableTargetOrigin(
            executable_path=sys.executable, module_name=module, working_directory=root
        ),
        location_name=LOCATION_NAME,
    )
    run = instance.create_run_for_job(
        job_def,
        execution_plan=plan,
        run_config=QUIET,
        tags={**job_def.run_tags, **tags},
        remote_job_origin=RemoteJobOrigin(
            RemoteRepositoryOrigin(location, "__repository__"), job_name
        ),
        job_code_origin=job.get_python_origin(),
    )
    return execute_run(job, run, instance)


def _interrupted(result) -> bool:
    """Whether a step was interrupted: Dagster takes SIGTERM and SIGINT over while a run
    executes, and stops the step with this error."""
    return any(
        event.is_step_failure
        and event.step_failure_data.error is not None
        and event.step_failure_data.error.cls_name == "DagsterExecutionInterruptedError"
        for event in result.all_events
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cell(text: str, width: int, right: bool = False) -> str:
    pad = " " * max(width - _width(text), 0)
    return pad + text if right else text + pad


def _shown(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:,.{decimals}f}"


def summary(warehouse: str) -> str:
    """The latest month's headline indicators as the report writes them: Chinese first, the
    period as the bureau labels it, money in 亿元, and every scope that missed a target."""
    with readers.open_published(Path(warehouse)) as conn:
        if not conn.execute(
            "select 1 from duckdb_tables() "
            "where schema_name = 'marts' and table_name = 'fct_indicator_value_labelled'"
        ).fetchall():
            return "武进区生产性服务业主要指标：尚无指标 / no indicators have been built yet"
        rows = conn.execute(
            """
            select indicator_code, indicator_name_zh, period_label_zh, scope_type,
                   scope_name_zh, display_value, display_unit, display_decimals,
                   display_target_value, target_decimals, target_met, period
            from marts.fct_indicator_value_labelled
            where period = (select max(period) from marts.fct_indicator_value_labelled as l
                            where l.indicator_code = fct_indicator_value_labelled.indicator_code)
              and list_contains(?, indicator_code)
            order by list_position(?, indicator_code), scope_type != 'district', scope_name_zh
            """,
            [list(HEADLINE), list(HEADLINE)],
        ).fetchall()
    latest = max((row[-1] for row in rows), default=None)
    title = (
        f"武进区生产性服务业主要指标（{latest:%Y年%-m月}）"
        if latest
        else "武进区生产性服务业主要指标"
    )
    lines = [
        title,
        _cell("指标", 26)
        + _cell("期间", 14)
        + _cell("数值", 12, True)
        + "  "
        + _cell("单位", 6)
        + _cell("目标", 10, True)
        + "  达标",
    ]
    missed = []
    for (
        _code,
        name,
        label,
        scope,
        scope_name,
        value,
        unit,
        decimals,
        target,
        places,
        met,
        _,
    ) in rows:
        if scope != "district":
            if met is False:
                missed.append(
                    f"  {name}（{scope_name}，{label}）：{_shown(value, decimals)} {unit}，"
                    f"目标 {_shown(target, places)} {unit}"
                )
            continue
        shown_met = "" if met is None else ("是" if met else "否")
        lines.append(
            _cell(name, 26)
            + _cell(label, 14)
            + _cell(_shown(value, decimals), 12, True)
            + "  "
            + _cell(unit, 6)
            + _cell(_shown(target, places), 10, True)
            + f"  {shown_met}"
        )
        if met is False:
            missed.insert(0, f"  {name}（武进区，{label}）")
    if missed:
        lines += ["未达目标 / targets missed:", *missed]
    return "\n".join(line.rstrip() for line in lines)


def build_docs(warehouse: Path) -> list[Path]:
    """dbt's docs site (with the catalogue of a copy of the published warehouse) and the GX
    Data Docs index, into the warehouse folder's ignored output."""
    import subprocess
    import tempfile

    from orchestration.lib.validation.runner import build_data_docs

    out = warehouse.parent / "docs" / "dbt"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "docs.duckdb"
        if warehouse.exists():
            shutil.copyfile(warehouse, copy)
        subprocess.run(
            [
                str(Path(sys.executable).parent / "dbt"),
                "docs",
                "generate",
                "--static",
                "--target",
                "docs",
                "--target-path",
                str(out),
                "--profiles-dir",
                ".",
                "--quiet",
            ],
            cwd=settings.DBT_PROJECT_DIR,
            check=True,
            env={**os.environ, "PSW_DOCS_DATABASE": str(copy)},
        )
    gx_index = build_data_docs(settings.gx_project_dir(), settings.data_docs_dir())
    return [out / "static_index.html", gx_index]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the regular files inside the pages folder and nothing else: no listing of a
    folder, no symbolic link (to a file or a folder, inside or out), no device or pipe."""

    def send_head(self):
        path = Path(self.translate_path(self.path))  # `..` already dropped
        # a folder is its index.html, as the base class serves it
        if not _regular_inside(path / "index.html" if path.is_dir() else path, self.directory):
            self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
        return None


def _regular_inside(path: Path, folder: str) -> bool:
    """Whether `path` is a regular file reached from `folder` through no symbolic link."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    current = Path(folder)
    for part in parts:
        current = current / part
        if current.is_symlink():
            return False
    return current.is_file()


def serve_pages() -> int:
    """Serve the validation pages on 127.0.0.1 (`make ui` starts it beside Dagster), so that
    a check's link opens in the browser: a browser refuses file:// links from a web page."""
    import functools
    import urllib.parse

    from orchestration.lib.validation.page import write_index

    pages = settings.validation_pages_dir()
    pages.mkdir(parents=True, exist_ok=True)
    if not (pages / "index.html").exists():
        (pages / "index.jsonl").touch()
        write_index(pages)
    port = urllib.parse.urlparse(settings.pages_url()).port
    handler = functools.partial(PagesHandler, directory=str(pages))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"psw: validation pages of {pages} on {settings.pages_url()}/", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def prepare_dagster_home() -> Path:
    """$DAGSTER_HOME (default .dagster_home/) with psw's instance settings in it."""
    home = settings.dagster_home()
    os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(Path(__file__).parent / "dagster.yaml", home / "dagster.yaml")
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="psw", description=__doc__.splitlines()[0])
    parser.add_argument(
        "command",
        choices=[
            "run",
            "summary",
            "query",
            "docs",
            "report",
            "asof",
            "explain",
            "contract",
            "pages",
        ],
    )
    parser.add_argument(
        "words",
        nargs="*",
        help="for `query`: the SQL to run (read-only); for `asof`: the time, e.g. 2025-07-10 "
        "or '2025-07-10 12:00' (UTC unless it says +08:00; a date alone is its whole day); for "
        "`explain`: the indicator, month and scope, e.g. ENT_REV_YOY 2025-06 district, or "
        "ENT_REV_YTD 2025-06 board HTZ",
    )
    parser.add_argument("--indicator", help="for `asof`: only this indicator, e.g. ENT_REV_YOY")
    parser.add_argument(
        "--all",
        nargs="?",
        const="",
        metavar="CSV",
        help="for `explain`: write every contribution to this CSV file (default: "
        "<warehouse folder>/explain/<indicator>_<month>_<scope>.csv)",
    )
    parser.add_argument(
        "--months",
        help="for `run`: only these months, e.g. 2025-06 or "
        "2025-04..2025-06 (default: every month found)",
    )
    parser.add_argument(
        "--month", help="for `report`: the month, e.g. 2025-06 (default: the latest loaded)"
    )
    args = parser.parse_args(argv)

    if args.command == "pages":
        return serve_pages()
    if args.command == "contract":
        from orchestration.lib.delivery import contract

        for page, text in (
            (CONTRACT_PAGE, contract.render()),
            (INDICATORS_PAGE, contract.render_indicators()),
        ):
            page.write_text(text, encoding="utf-8")
            print(page)
        return 0
    warehouse = settings.warehouse_path()
    if args.command in ("summary", "query", "report", "asof", "explain") and not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `make run` first", file=sys.stderr)
        return 1
    if args.command == "summary":
        print(summary(str(warehouse)))
        return 0
    if args.command == "report":
        return report(warehouse, args.month)
    if args.command == "docs":
        for page in build_docs(warehouse):
            print(f"{page}")
        return 0
    if args.command == "asof":
        if len(args.words) != 1:
            parser.error("asof needs one time, e.g. asof '2025-07-10 12:00'")
        return asof(warehouse, args.words[0], args.indicator)
    if args.command == "explain":
        if len(args.words) < 2:
            parser.error("explain needs an indicator and a month, e.g. explain ENT_REV_YOY 2025-06")
        return explain(warehouse, args.words, args.all)
    if args.command == "query":
        if len(args.words) != 1 or not args.words[0].strip():
            parser.error('query needs the SQL, e.g. make query SQL="select 42"')
        return query(warehouse, args.words[0])
    return run(warehouse, args.months)


def query(warehouse: Path, sql: str) -> int:
    """Run an analyst's SQL on the published warehouse, read-only and sandboxed, within a
    time and a memory bound (settings.query_bounds); a SQL error, or a query stopped at a
    bound, is one line, not a traceback."""
    import threading

    try:
        seconds, memory = settings.query_bounds()
    except ValueError as error:
        print(f"psw: {error}", file=sys.stderr)
        return 2
    try:
        with readers.open_published(warehouse, memory_limit=memory) as conn:
            timer = threading.Timer(seconds, conn.interrupt)
            timer.start()
            try:
                relation = conn.sql(sql)
                if relation is not None:
                    relation.show(max_rows=200, max_width=200)
            finally:
                timer.cancel()
    except duckdb.InterruptException:
        print(
            f"query stopped: it ran past {seconds:g} s (PSW_QUERY_SECONDS sets the bound)",
            file=sys.stderr,
        )
        return 1
    except duckdb.OutOfMemoryException:
        print(
            f"query stopped: it needed more than {memory} of memory (PSW_QUERY_MEMORY sets "
            "the bound)",
            file=sys.stderr,
        )
        return 1
    except duckdb.Error as error:
        print(f"query failed: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    return 0


def parse_as_of(text: str) -> dt.datetime:
    """A time in UTC (naive, as the warehouse keeps times) from `2025-07-10`, `2025-07-10
    12:00` or `2025-07-10T12:00+08:00`; a date alone means the end of that day."""
    text = text.strip()
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if len(text) == len("2025-07-10"):
        moment += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return moment


def asof(warehouse: Path, when: str, indicator: str | None) -> int:
    """`cli asof TIME [--indicator CODE]`: the indicator values as they were published at a
    time (marts.indicator_value_as_of), one line each."""
    try:
        at = parse_as_of(when)
    except ValueError:
        print(
            f"psw: {when!r} is not a time: write 2025-07-10, '2025-07-10 12:00' or "
            "'2025-07-10T12:00+08:00'",
            file=sys.stderr,
        )
        return 2
    with readers.open_published(warehouse) as conn:
        if indicator is not None:
            from orchestration.lib.provenance import explain as provenance

            try:
                provenance.check_code(conn, indicator)
            except provenance.NotFound as error:
                print(f"psw: {error}", file=sys.stderr)
                return 1
        publication = conn.execute(
            "select run_id, published_at from raw.publications where published_at <= ? "
            "order by published_at desc limit 1",
            [at],
        ).fetchone()
        rows = conn.execute(
            """
            select v.indicator_code, strftime(v.period, '%Y-%m'), v.scope_type, v.scope_code,
                   round(v.value, c.decimals), c.decimals, v.unit, v.valid_from
            from marts.indicator_value_as_of(?) as v
            join marts.dim_indicator as c using (indicator_code)
            where ? is null or v.indicator_code = ?
            order by v.indicator_code, v.period, v.scope_type != 'district', v.scope_type,
                     v.scope_code
            """,
            [at, indicator, indicator],
        ).fetchall()
    stamp = f"{at:%Y-%m-%d %H:%M:%S} UTC"
    if publication is None or not rows:
        for_code = f" for {indicator}" if indicator else ""
        print(f"psw: nothing was published by {stamp}{for_code}", file=sys.stderr)
        return 1
    print(
        f"指标值（{stamp} 时已发布） / indicator values as published at {stamp}: "
        f"the warehouse of {publication[1]:%Y-%m-%d %H:%M:%S} UTC (run {publication[0][:8]})"
    )
    header = ["indicator", "period", "scope", "value", "unit", "published (UTC)"]
    table = [
        [
            code,
            month,
            f"{scope_type} {scope_code}",
            f"{value:,.{places}f}",
            unit,
            f"{at_:%Y-%m-%d %H:%M:%S}",
        ]
        for code, month, scope_type, scope_code, value, places, unit, at_ in rows
    ]
    widths = [max(_width(line[i]) for line in [header, *table]) for i in range(len(header))]
    for line in [header, *table]:
        print(
            "  ".join(
                _cell(text, width, right=i == 3)
                for i, (text, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
    return 0


def explain(warehouse: Path, words: list[str], all_to: str | None) -> int:
    """`cli explain CODE YYYY-MM [SCOPE_TYPE [CODE]] [--all [CSV]]`: where a value comes from."""
    from orchestration.lib.provenance import explain as provenance

    code, month, *scope = words
    try:
        with readers.open_published(warehouse) as conn:
            explained = provenance.explain(conn, code, month, provenance.parse_scope(scope))
    except provenance.NotFound as error:
        print(f"psw: {error}", file=sys.stderr)
        return 1
    print(provenance.render(explained))
    if all_to is not None:
        name = f"{code}_{month}_{explained.scope_type}_{explained.scope_code}.csv"
        path = Path(all_to) if all_to else warehouse.parent / "explain" / name
        print(f"every contribution: {provenance.write_csv(explained, path)}")
    return 0


def reported_months(warehouse: Path) -> list[str]:
    """The months the published warehouse has headline indicators for, in order."""
    with readers.open_published(warehouse) as conn:
        try:
            rows = conn.execute(
                "select distinct strftime(period, '%Y-%m') as month "
                "from marts.rpt_headline_indicators order by month"
            ).fetchall()
        except duckdb.CatalogException:
            return []
    return [month for (month,) in rows]


def report(warehouse: Path, month: str | None) -> int:
    """`make report MONTH=2025-06`: write one month's workbook and analysis."""
    import re

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
    except KeyboardInterrupt:
        lock.request_stop()
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
    from orchestration.lib.delivery.sources import SOURCES
    from orchestration.lib.loading.writes import current_files

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
    except KeyboardInterrupt:
        lock.request_stop()
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


if __name__ == "__main__":
    # At exit, Python's collector walks every object the imports made (Dagster, GX, dbt's
    # adapters): more than a second. Frozen, they are left to the end of the process; every
    # file and connection is closed by then (each is opened in a `with`).
    atexit.register(gc.freeze)
    status = main()
    if status == STOPPED:
        # Stopped, and said so: leave now. An interrupt Dagster still holds would otherwise
        # surface in the interpreter's teardown, which then ends the process by SIGINT.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(STOPPED)
    sys.exit(status)
