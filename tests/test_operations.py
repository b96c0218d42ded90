"""Monthly operation: the schedule, the new-file sensor, freshness, the failure log, analysts
reading while a backfill runs, and a load killed mid-month."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest
from conftest import RAW, REPO, table_fingerprints
from sheets import find_col, find_row, variant

from orchestration.defs.resources import PublishedWarehouseResource, RawFilesResource
from orchestration.defs.schedules import freshness_schedule, monthly_load_schedule
from orchestration.defs.sensors import new_file_sensor, run_failure_log_sensor
from orchestration.lib.freshness import deadline, due_months, overdue_months

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
    assert set(checks) == {"projects", "zones", "enterprises", "demand_survey"}
    today = dt.datetime.now(SHANGHAI).date()
    # the sample ends with 2025-09: its October file was due on 2025-11-15
    assert today > dt.date(2025, 11, 15)
    for source in ("projects", "zones", "enterprises"):
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


def test_a_killed_load_leaves_the_published_warehouse_as_it_was(make_run, tmp_path):
    warehouse = tmp_path / "warehouse" / "psw.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(make_run["warehouse"], warehouse)
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("_generator"))

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
            "where month = '2025-06' and zone_name = '科教城'"
        ).fetchall()[0]
        indicator = conn.execute(
            "select value from marts.fct_indicator_value where indicator_code = 'ZONE_REV_YTD' "
            "and period = '2025-06-01' and scope_type = 'zone_level' and scope_code = '省级'"
        ).fetchall()[0][0]
    assert file == "集聚区月报_2025-06_更正.xlsx"
    assert revenue == pytest.approx(306_000 + 20_000)
    assert indicator == pytest.approx(1_796_000 + 20_000)
