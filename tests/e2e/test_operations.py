"""Monthly operation: the schedule, the new-file sensor, freshness, the failure log, analysts
reading while a backfill runs, and a load killed mid-month."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest
from conftest import (
    DBT_DIR,
    RAW,
    REPO,
    copy_of_make_run,
    data_fingerprints,
    run_cli,
    start_cli,
    table_fingerprints,
)
from sheets import data_rows, find_col, find_row, variant, with_openpyxl

from orchestration.defs.resources import PublishedWarehouseResource, RawFilesResource
from orchestration.defs.schedules import freshness_schedule, monthly_load_schedule
from orchestration.defs.sensors import new_file_sensor, run_failure_log_sensor
from orchestration.lib.delivery.cadence import deadline, due_months, overdue_months
from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.sources import SOURCES

RULES = catalogue()

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZONES_06 = RAW / "zones" / "集聚区月报_2025年6月.xlsx"


def test_schedule_loads_the_previous_month_on_the_10th():
    from orchestration.definitions import build_definitions

    schedule = build_definitions().resolve_schedule_def(monthly_load_schedule.name)
    assert schedule.cron_schedule == "0 8 10 * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    for run_on, month in (((2025, 7, 10), "2025-06"), ((2026, 1, 10), "2025-12")):
        context = dg.build_schedule_context(
            scheduled_execution_time=dt.datetime(*run_on, 8, 0, tzinfo=SHANGHAI)
        )
        assert [r.partition_key for r in schedule.evaluate_tick(context).run_requests] == [month]
    assert freshness_schedule.execution_timezone == "Asia/Shanghai"


def evaluate_sensor(raw, published, cursor=None):
    from orchestration.definitions import build_definitions

    context = dg.build_sensor_context(
        cursor=cursor,
        definitions=build_definitions(),
        resources={
            "raw_files": RawFilesResource(directory=str(raw)),
            "published_warehouse": PublishedWarehouseResource(path=str(published)),
        },
    )
    result = new_file_sensor.evaluate_tick(context)
    return result.run_requests, result.cursor


def test_sensor_requests_a_run_per_new_or_changed_file(tmp_path):
    raw = tmp_path / "raw"
    (raw / "zones").mkdir(parents=True)
    published = tmp_path / "none.duckdb"
    requests, cursor = evaluate_sensor(raw, published)
    assert requests == []

    shutil.copy(ZONES_06, raw / "zones" / ZONES_06.name)
    requests, cursor = evaluate_sensor(raw, published, cursor)
    assert [r.partition_key for r in requests] == ["2025-06"]
    first_key = requests[0].run_key

    requests, cursor = evaluate_sensor(raw, published, cursor)
    assert requests == []  # the same file again

    os.utime(raw / "zones" / ZONES_06.name)  # touched, same content: still nothing
    requests, cursor = evaluate_sensor(raw, published, cursor)
    assert requests == []

    def change(grid):
        _, c = find_col(grid, "从业人员")
        grid[find_row(grid, "科教城")][c] = 25_000

    variant(ZONES_06, raw / "zones" / ZONES_06.name, change)
    requests, cursor = evaluate_sensor(raw, published, cursor)
    assert [r.partition_key for r in requests] == ["2025-06"]
    assert requests[0].run_key != first_key


def test_sensor_ignores_files_the_warehouse_already_loaded(make_run):
    requests, cursor = evaluate_sensor(RAW, make_run["warehouse"])
    assert requests == []
    assert len(cursor) > 20


def test_freshness_deadlines():
    assert deadline("2025-06") == dt.date(2025, 7, 15)
    assert deadline("2025-12") == dt.date(2026, 1, 15)
    assert due_months("projects", "2025-01", dt.date(2025, 7, 15)) == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
    ]
    assert due_months("projects", "2025-01", dt.date(2025, 7, 16))[-1] == "2025-06"
    assert due_months("enterprises", "2025-01", dt.date(2025, 3, 16)) == ["2025-02"]
    assert due_months("demand_survey", "2025-01", dt.date(2026, 1, 16)) == ["2025-06", "2025-12"]
    delivered = {"2025-01", "2025-02", "2025-04"}
    assert overdue_months("zones", delivered, "2025-01", dt.date(2025, 5, 20)) == ["2025-03"]


def test_freshness_checks_run_on_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("PSW_RAW_DIR", str(RAW))
    monkeypatch.setenv("PSW_WAREHOUSE_PATH", str(tmp_path / "psw.duckdb"))
    from orchestration.definitions import build_definitions

    result = (
        build_definitions()
        .resolve_job_def("freshness")
        .execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    )
    checks = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}
    assert set(checks) == set(SOURCES)
    today = dt.datetime.now(SHANGHAI).date()
    # the sample ends with 2025-09: its October file was due on 2025-11-15
    assert today > dt.date(2025, 11, 15)
    for source in (name for name, s in SOURCES.items() if s.every == 1):
        assert not checks[source].passed
        assert checks[source].metadata["overdue_months"].value.startswith("2025-10")
        assert checks[source].metadata["latest_delivered_month"].value == "2025-09"
    assert "2025-06" not in checks["demand_survey"].metadata["overdue_months"].value


def test_analysts_read_while_the_backfill_runs(make_run):
    reads = make_run["reads"]
    assert reads["queries"] >= 200, reads["queries"]
    assert reads["errors"] == []
    assert reads["partial_months"] == []
    assert ("enterprises", "2025-09") in reads["months_seen"]  # the loads were watched


def test_failure_sensor_logs_the_rejected_file(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "zones").mkdir(parents=True)

    def spoil(grid):
        _, c = find_col(grid, "其中：规上企业数")
        grid[find_row(grid, "绿建区")][c] = 99_999

    variant(ZONES_06, raw / "zones" / ZONES_06.name, spoil)
    monkeypatch.setenv("PSW_RAW_DIR", str(raw))
    monkeypatch.setenv("PSW_WAREHOUSE_PATH", str(tmp_path / "warehouse" / "psw.duckdb"))
    from orchestration.definitions import build_definitions

    instance = dg.DagsterInstance.ephemeral()
    result = (
        build_definitions()
        .resolve_job_def("ingest_month")
        .execute_in_process(partition_key="2025-06", instance=instance, raise_on_error=False)
    )
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    failure = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)[0]
    published = PublishedWarehouseResource(path=str(tmp_path / "warehouse" / "psw.duckdb"))
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_log_sensor",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=failure.dagster_event,
        resources={"published_warehouse": published},
    ).for_run_failure()
    run_failure_log_sensor(context)
    lines = published.failure_log.read_text().splitlines()
    assert len(lines) == 1
    assert "month=2025-06" in lines[0] and "step=raw__zones" in lines[0]
    assert "REJECTED 集聚区月报_2025年6月.xlsx" in lines[0] and "Z5" in lines[0]


def test_a_killed_load_leaves_the_published_warehouse_as_it_was(loaded_copy, tmp_path):
    warehouse, raw, _env = loaded_copy

    def correct(grid):  # June's clusters re-delivered with more revenue
        _, c = find_col(grid, "1-本月营业收入")
        for where in ("科教城", "合计"):
            row = find_row(grid, where)
            grid[row][c] = float(str(grid[row][c]).replace(",", "")) + 2

    variant(ZONES_06, raw / "zones" / "集聚区月报_2025-06_更正.xlsx", correct)
    env = {
        **os.environ,
        "PSW_RAW_DIR": str(raw),
        "PSW_WAREHOUSE_PATH": str(warehouse),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    command = [sys.executable, "-m", "orchestration.cli", "run", "--months", "2025-06"]
    before = table_fingerprints(warehouse)

    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    work = warehouse.with_name("psw.duckdb.work")
    deadline_at = time.monotonic() + 120
    while not work.exists() and time.monotonic() < deadline_at:
        time.sleep(0.02)
    assert work.exists(), "the run never started writing"
    time.sleep(1.0)  # well inside the month's run: validating the files takes seconds
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert table_fingerprints(warehouse) == before
    assert not warehouse.with_name("psw.duckdb.work.synced").exists()

    rerun = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "marked failed: run" in rerun.stdout  # the killed run is not left "started"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        revenue, file = conn.execute(
            "select revenue_ytd_wan_yuan, source_file from raw.zones "
            "where month = '2025-06' and zone_name = '科教城' and superseded_at is null"
        ).fetchall()[0]
        indicator = conn.execute(
            "select value from marts.fct_indicator_value where indicator_code = 'ZONE_REV_YTD' "
            "and period = '2025-06-01' and scope_type = 'zone_level' and scope_code = '省级'"
        ).fetchall()[0][0]
    assert file == "集聚区月报_2025-06_更正.xlsx"
    assert revenue == pytest.approx(306_000 + 20_000)
    assert indicator == pytest.approx(1_796_000 + 20_000)


# ---------------------------------------------------------------- issue 9: hostile operations


@pytest.fixture
def loaded_copy(make_run, tmp_path):
    """A copy of the loaded warehouse and of the sample raw folder, and the run's settings."""
    return copy_of_make_run(make_run, tmp_path)


def test_make_run_goes_on_past_hostile_files_and_names_each(loaded_copy, tmp_path):
    """Rejected and unplaceable files are named, logged and skipped; the rest of the run (the
    other sources, dbt, publishing) completes, and the shell sees that something failed.
    The warehouse path is written with `~`: dbt must write the file Dagster does."""
    warehouse, raw, env = loaded_copy
    june_only(raw)  # to keep the run short
    home = tmp_path / "home"
    (home / "wh").mkdir(parents=True)
    shutil.move(warehouse, home / "wh" / "psw.duckdb")
    warehouse = home / "wh" / "psw.duckdb"
    env = {**env, "HOME": str(home), "PSW_WAREHOUSE_PATH": "~/wh/psw.duckdb"}
    zones = raw / "zones" / ZONES_06.name
    with_openpyxl(zones, lambda wb: wb.worksheets[0].cell(8, 5, "=E9*2"))  # 科教城's 投资
    enterprises = raw / "enterprises" / "规上生产性服务业企业月报_202506.xlsx"
    shutil.copy(enterprises, enterprises.with_name("规上生产性服务业企业月报_202506 - 副本.xlsx"))
    projects = raw / "projects" / "重点项目月报_2025-06.xlsx"
    (raw / "projects" / "重点项目月报_2025-06.csv").write_text("项目编号\n")
    (raw / "projects" / "旧").mkdir()
    shutil.copy(projects, raw / "projects" / "旧" / "重点项目月报_2025-05.xlsx")
    shutil.copy(projects, raw / "projects" / "重点项目月报_2099-01.xlsx")
    before = table_fingerprints(warehouse)

    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )

    out = result.stdout + result.stderr
    assert result.returncode == 2, out  # make's status for a command that failed
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 3, out
    assert any(
        "重点项目月报_2099-01.xlsx" in line and "outside the months" in line for line in skipped
    )
    # every rejection line says the rule's text beside its id (docs/contract.md has them all)
    assert f"REJECTED 集聚区月报_2025年6月.xlsx: CELL {RULES['CELL'].text} row 8" in out
    assert (
        "sheet '集聚区', row 8, column '1-本月完成投资（亿元）': cell E8 holds the formula =E9*2"
        in out
    )
    assert (
        f"[G1: {RULES['G1'].text}] "
        "规上生产性服务业企业月报_202506 - 副本.xlsx | 规上生产性服务业企业月报_202506.xlsx: "
        "2 files for enterprises 2025-06 and none is a later correction" in out
    )
    assert not failed_steps(out)  # dbt built and the run published
    # the months whose files were taken out of raw/ are kept, and said to be
    gone = [line for line in result.stdout.splitlines() if line.startswith("GONE")]
    assert any("重点项目月报_2025-05.xlsx: projects 2025-05 was loaded" in line for line in gone)
    assert not any("2025-06" in line for line in gone), gone
    after = table_fingerprints(warehouse)
    for table in ("raw.zones", "raw.enterprises", "raw.projects", "raw.demand_survey"):
        assert after[table] == before[table], table
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        log = conn.execute(
            "select outcome, file_name, failed_rules from raw.load_log "
            "where finished_at > "
            "(select max(finished_at) from raw.load_log where outcome = 'loaded') "
            "order by all"
        ).fetchall()
    outcomes = [row[0] for row in log]
    assert outcomes.count("rejected") == 2 and outcomes.count("skipped") == 3, log
    assert ("skipped", "projects/旧/重点项目月报_2025-05.xlsx", "G1") in log
    assert not (tmp_path / "wh").exists() and not (REPO / "~").exists()
    # the month's report is written all the same, and says what was refused
    analysis = home / "wh" / "reports" / "2025-06" / "武进区生产性服务业运行分析_2025年6月.html"
    assert str(analysis) in result.stdout
    notes = analysis.read_text("utf-8").split("数据质量说明")[1].split("统计表")[0]
    assert "退回：集聚区月报（集聚区月报_2025年6月.xlsx）未通过校验（规则 CELL）" in notes
    assert "规上生产性服务业企业月报_202506 - 副本.xlsx" in notes


def test_a_second_run_on_the_same_warehouse_stops_with_one_line(loaded_copy):
    from orchestration.lib.publishing import lock

    warehouse, _raw, env = loaded_copy
    lock.acquire(warehouse)  # another run holds the warehouse
    try:
        result = run_cli("run", env=env, timeout=120)
    finally:
        lock.release(warehouse)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"psw: another psw run (pid {os.getpid()}, started "
        + result.stderr.split("started ")[1].split(")")[0]
        + f") is writing {warehouse}: wait for it to finish, or stop it, and run again"
    ]
    assert not work_exists(warehouse)


def failed_steps(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip().startswith("FAILED")]


def work_exists(warehouse) -> bool:
    return warehouse.with_name(warehouse.name + ".work").exists()


@pytest.mark.parametrize("fault", ["truncated", "unreachable", "DAGSTER_HOME", "PSW_REPORT_DIR"])
def test_a_broken_warehouse_stops_at_once_with_one_line(loaded_copy, tmp_path, fault):
    """A warehouse that cannot be opened, or any folder a run writes that cannot be written
    (the warehouse's, the Dagster instance's, the reports'), stops the run before any work."""
    warehouse, _raw, env = loaded_copy
    (tmp_path / "a_file").write_text("")
    if fault == "truncated":
        warehouse.write_bytes(warehouse.read_bytes()[:100_000])
        expected = f"psw: the warehouse {warehouse} cannot be opened"
    elif fault == "unreachable":
        env = {**env, "PSW_WAREHOUSE_PATH": str(tmp_path / "a_file" / "psw.duckdb")}
        expected = f"psw: cannot write in {tmp_path / 'a_file'}"
    else:
        env = {**env, fault: str(tmp_path / "a_file" / "folder")}
        expected = (
            f"psw: cannot write in {tmp_path / 'a_file' / 'folder'} (Not a directory): set "
            f"{fault} to a writable place"
        )
    started = time.monotonic()
    result = run_cli("run", env=env, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr
    assert time.monotonic() - started < 60  # before any month is tried
    assert result.stdout == ""


def test_a_stop_is_seen_even_when_dagster_swallows_its_handler():
    """Dagster replaces the signal handlers while a run executes, and an error its handler
    raises inside a garbage-collector callback is dropped: the stop must still be seen."""
    script = (
        "import os, signal\n"
        "from orchestration.lib.publishing import lock\n"
        "lock.watch_stop_signals()\n"
        "assert not lock.stop_requested()\n"
        "signal.signal(signal.SIGTERM, lambda signum, frame: None)  # a handler that drops it\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "print(lock.stop_requested())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_sigterm_stops_the_run_and_publishes_nothing_unfinished(loaded_copy):
    warehouse, raw, env = loaded_copy
    before = table_fingerprints(warehouse)
    process = start_cli("run", env=env)
    deadline_at = time.monotonic() + 120
    while not work_exists(warehouse) and time.monotonic() < deadline_at:
        time.sleep(0.02)
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 143, out + err
    assert time.monotonic() - signalled < 60
    assert "psw: stopped; a write in progress was rolled back" in err
    assert "dbt build" not in out  # it stopped: the other months and dbt never ran
    after = table_fingerprints(warehouse)
    assert data_fingerprints(after) == data_fingerprints(before)


def june_only(raw: Path) -> None:
    for path in raw.rglob("*.xlsx"):
        if "2025-06" not in path.name and "202506" not in path.name and "6月" not in path.name:
            path.unlink()


def test_queries_cannot_write_read_files_or_reach_the_working_copy(loaded_copy, tmp_path):
    """On the bureau's warehouse (the release is opened the same way)."""
    warehouse, _raw, env = loaded_copy
    env = env | {"PSW_QUERY_WAREHOUSE": "internal"}
    work = warehouse.with_name(warehouse.name + ".work")
    shutil.copy(warehouse, work)
    for sql in (
        f"copy (select 1) to '{tmp_path}/out.csv'",
        "select * from read_text('/etc/passwd')",
        f"attach '{work}' as w",
        "set enable_external_access = true",
        "selec 1",
    ):
        result = run_cli("query", sql, env=env, timeout=120)
        assert result.returncode == 1, sql
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("query failed: "), result.stderr
    assert not (tmp_path / "out.csv").exists()
    # through make, as the README writes it: psw's one line, then make's own (GNU make ends
    # every failed recipe with a line and status 2; it cannot exit 1)
    made = subprocess.run(
        ["make", "-s", "query", "SQL=selec 1"],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = made.stderr.strip().splitlines()
    assert made.returncode == 2 and made.stdout == "", made.stdout + made.stderr
    assert lines[0].startswith("query failed: ") and "selec" in lines[0]
    assert len(lines) == 2 and re.match(r"make(\[\d+\])?: \*\*\* \[Makefile:", lines[1]), lines
    ok = run_cli(
        "query", "select count(*) as n from marts.fct_indicator_value", env=env, timeout=120
    )
    assert ok.returncode == 0 and "n" in ok.stdout


def test_analysts_dbt_target_reads_the_published_warehouse_and_cannot_write_it(make_run):
    """`dbt show --target published`, as the README writes it, answers from the published
    file; the same target refuses to build anything into it."""
    text = (REPO / "README.md").read_text()
    command = re.search(r"(\.\./\.venv/bin/dbt show --target published.*?)\n```", text, re.S)
    args = command.group(1).replace("\\\n", " ").split(" --inline ")[0].split()
    dbt = str(Path(sys.executable).parent / "dbt")
    env = {**os.environ, "PSW_WAREHOUSE_PATH": str(make_run["warehouse"])}
    sql = (
        "select count(*) as n from {{ ref('fct_indicator_value') }} "
        "where indicator_code = 'ENT_REV_YOY'"
    )
    shown = subprocess.run(
        [dbt, *args[1:], "--inline", sql, "--output", "json", "--log-format", "text"],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    with duckdb.connect(str(make_run["warehouse"]), read_only=True) as conn:
        (n,) = conn.execute(
            "select count(*) from marts.fct_indicator_value where indicator_code = 'ENT_REV_YOY'"
        ).fetchone()
    assert f'"n": {n}' in shown.stdout, shown.stdout
    built = subprocess.run(
        [
            dbt,
            "run",
            "--target",
            "published",
            "--target-path",
            "target/published",
            "--profiles-dir",
            ".",
            "--select",
            "dim_board",
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode != 0 and "read-only" in built.stdout, built.stdout[-2000:]


def small_warehouse(path, value: int):
    with duckdb.connect(str(path)) as conn:
        conn.execute(f"create or replace table t as select {value} as v")


def value_in(path) -> int:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("select v from t").fetchall()[0][0]


def test_the_working_copy_is_trusted_only_while_it_is_the_published_files_copy(tmp_path):
    from orchestration.lib.publishing.working_copy import WorkingCopy

    published = tmp_path / "psw.duckdb"
    small_warehouse(published, 1)
    backup = tmp_path / "backup.duckdb"
    shutil.copy(published, backup)
    copy = WorkingCopy(published)
    copy.begin()
    small_warehouse(copy.work, 2)
    copy.publish()
    assert value_in(published) == 2 and copy.is_synced()

    shutil.copy(backup, published)  # an operator restores last week's backup
    assert not copy.is_synced()
    copy.begin()
    assert value_in(copy.work) == 1  # the run starts from the restored file, not the stale copy

    copy.publish()
    published.unlink()  # deleted to rebuild from the raw files
    copy.begin()
    assert not copy.work.exists()

    small_warehouse(published, 3)
    copy.begin()
    copy.publish()
    small_warehouse(copy.work, 4)  # someone wrote the working copy between runs
    copy.begin()
    assert value_in(copy.work) == 3


def test_too_little_disk_for_two_copies_stops_before_any_work(tmp_path, monkeypatch):
    from orchestration.lib.publishing import preflight

    published = tmp_path / "psw.duckdb"
    small_warehouse(published, 1)
    preflight.preflight(published)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(preflight.shutil, "disk_usage", lambda _p: usage._replace(free=1024 * 1024))
    with pytest.raises(preflight.WarehouseUnusable, match="not enough free space"):
        preflight.preflight(published)


def test_files_a_build_fails_on_are_rejected_and_their_months_keep_a_version(loaded_copy):
    """Rows that passed an older validation and fail a dbt test. June's file: the build names
    it, takes it out and publishes the rest; the same file is refused later, and its
    correction loads. May's correction: it goes, and the version it replaced is current
    again. (One scenario over two months: each run fails a build and builds again.)"""
    warehouse, raw, env = loaded_copy
    june = raw / "projects" / "重点项目月报_2025-06.xlsx"
    may = raw / "projects" / "重点项目月报_2025-05.xlsx"
    may_correction = may.with_name("重点项目月报_2025-05_更正.xlsx")

    def correct(grid):  # a department re-delivers its month
        _, c = find_col(grid, "形象进度")
        grid[data_rows(grid, "项目编号")[0]][c] = "主体结构封顶"

    variant(may, may_correction, correct)
    with duckdb.connect(str(warehouse)) as conn:  # as an older psw let June through
        conn.execute(
            "update raw.projects set board = '火星镇' where month = '2025-06' "
            "and project_id = 'WJSC-2025-003'"
        )
        excel_row = conn.execute(
            "select excel_row from raw.projects where month = '2025-06' "
            "and project_id = 'WJSC-2025-003'"
        ).fetchall()[0][0]

    first = run_cli("run", "--months", "2025-05..2025-06", env=env)
    out = first.stdout + first.stderr
    assert first.returncode == 1, out
    assert f"REJECTED {june.name}: DBT {RULES['DBT'].text} rows {excel_row} (" in out
    assert "not_null on fct_project_progress.board_code" in out  # the test and the column
    assert not failed_steps(out)
    with duckdb.connect(str(warehouse)) as conn:
        assert conn.execute(
            "select count(*) from raw.projects where month = '2025-06'"
        ).fetchall() == [(0,)]
        assert (
            conn.execute(
                "select count(*) from marts.fct_indicator_value where period = '2025-06-01' "
                "and indicator_code = 'ENT_REV_YOY'"
            ).fetchall()[0][0]
            > 0
        )  # the rest was built and published
        current = "where month = '2025-05' and superseded_at is null"
        assert conn.execute(
            f"select distinct source_file from raw.projects {current}"
        ).fetchall() == [(may_correction.name,)]
        conn.execute(  # as an older psw let May's correction through
            f"update raw.projects set board = '火星镇' {current} and project_id = 'WJSC-2025-003'"
        )

    variant(june, june.with_name("重点项目月报_2025-06_更正.xlsx"), correct)
    second = run_cli("run", "--months", "2025-05..2025-06", env=env)
    out = second.stdout + second.stderr
    assert second.returncode == 1, out
    assert f"REJECTED {may_correction.name}: DBT {RULES['DBT'].text}" in out
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        versions = conn.execute(
            "select source_file, count(*), count(superseded_at) from raw.projects "
            "where month = '2025-05' group by all"
        ).fetchall()
        built = conn.execute(
            "select month_date, count(*) from marts.fct_project_progress "
            "where month_date between '2025-05-01' and '2025-06-01' group by all order by 1"
        ).fetchall()
    assert versions == [(may.name, 20, 0)]
    assert built == [(dt.date(2025, 5, 1), 20), (dt.date(2025, 6, 1), 20)]
