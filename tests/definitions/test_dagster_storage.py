"""psw's Dagster instance storage (lib/dagster_storage.py): the SQLite files Dagster's own
storage writes, kept open between writes. What it writes, Dagster's stock storage reads."""

import shutil
import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from conftest import REPO

from orchestration.dagster_storage import (
    OPEN_SHARDS,
    PswEventLogStorage,
    PswRunStorage,
)


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="numbers")])
def numbers():
    yield dg.Output([1, 2, 3], metadata={"rows": 3})
    yield dg.AssetCheckResult(check_name="positive", passed=True)


JOB = dg.define_asset_job("numbers_job", selection=[numbers])
MONTHS = dg.MonthlyPartitionsDefinition(start_date="2025-01-01")


@dg.asset(partitions_def=MONTHS, check_specs=[dg.AssetCheckSpec("whole", asset="monthly")])
def monthly(context):
    yield dg.Output(1)
    yield dg.AssetCheckResult(check_name="whole", passed=context.partition_key != "2025-02-01")


DEFS = dg.Definitions(
    assets=[numbers, monthly],
    jobs=[JOB, dg.define_asset_job("monthly_job", selection=[monthly], partitions_def=MONTHS)],
)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A Dagster home with psw's dagster.yaml, as `make` and the CLI prepare it."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def run_numbers(instance: dg.DagsterInstance) -> str:
    result = DEFS.resolve_job_def("numbers_job").execute_in_process(instance=instance)
    assert result.success
    return result.run_id


def test_psw_yaml_selects_the_kept_open_storage(home):
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PswEventLogStorage)
        assert isinstance(instance.run_storage, PswRunStorage)
        run_numbers(instance)
        with instance.event_log_storage.index_connection() as conn:
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
    # Dagster's own files, where its default storage keeps them
    assert (home / "history" / "runs.db").exists()
    assert (home / "history" / "runs" / "index.db").exists()


def test_what_it_writes_dagsters_stock_storage_reads(home, tmp_path, monkeypatch):
    with dg.DagsterInstance.get() as instance:
        run_ids = [run_numbers(instance) for _ in range(OPEN_SHARDS + 2)]
        engines = instance.event_log_storage._engines
        assert len(engines) <= OPEN_SHARDS  # old runs' shards are closed
    # the same folder without psw's storage setting: Dagster's stock SQLite storage
    stock = tmp_path / "stock_home"
    shutil.copytree(home, stock)
    (stock / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(stock))
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage).__name__ == "SqliteEventLogStorage"
        runs = instance.get_runs()
        assert {run.run_id for run in runs} == set(run_ids)
        assert all(run.is_success for run in runs)
        for run_id in run_ids:  # each run's own shard holds its whole log
            types = {e.dagster_event_type for e in instance.all_logs(run_id) if e.is_dagster_event}
            assert dg.DagsterEventType.RUN_SUCCESS in types
            assert dg.DagsterEventType.ASSET_CHECK_EVALUATION in types
        # the cross-run index: the latest materialisation and check result
        latest = instance.get_latest_materialization_event(dg.AssetKey("numbers"))
        assert latest.run_id == run_ids[-1]
        checks = instance.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey("numbers"), "positive"), limit=10
        )
        assert {c.run_id for c in checks} == set(run_ids)
        assert {c.status.value for c in checks} == {"SUCCEEDED"}  # planned, then evaluated


def check_executions(home: Path) -> list[tuple]:
    with sqlite3.connect(home / "history" / "runs" / "index.db") as conn:
        return conn.execute(
            "select asset_key, check_name, partition, execution_status "
            "from asset_check_executions order by id"
        ).fetchall()


def test_check_executions_are_the_rows_dagsters_own_storage_writes(home, tmp_path, monkeypatch):
    """psw's storage writes a planned check's rows its own way (one statement compiled once);
    the rows are those of Dagster's stock storage, partitioned or not, passed or failed."""

    def runs(instance: dg.DagsterInstance) -> None:
        run_numbers(instance)
        for month in ("2025-01-01", "2025-02-01"):
            result = DEFS.resolve_job_def("monthly_job").execute_in_process(
                instance=instance, partition_key=month
            )
            assert result.success

    with dg.DagsterInstance.get() as instance:
        runs(instance)
    stock = tmp_path / "stock_home"
    stock.mkdir()
    (stock / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(stock))
    with dg.DagsterInstance.get() as instance:
        runs(instance)
    written = check_executions(home)
    assert written == check_executions(stock)
    assert ('["monthly"]', "whole", "2025-02-01", "PLANNED") in written  # a partition's
    assert ('["monthly"]', "whole", None, "FAILED") in written


def test_a_commit_is_on_disk_when_the_write_returns(home):
    """Kept open, a connection still commits each write: another process (here, a plain
    sqlite3 connection) sees the run as soon as the call returns."""
    with dg.DagsterInstance.get() as instance:
        run_id = run_numbers(instance)
        with sqlite3.connect(home / "history" / "runs.db") as conn:
            status = conn.execute("select status from runs where run_id = ?", [run_id]).fetchone()
        assert status == ("SUCCESS",)
        with sqlite3.connect(home / "history" / "runs" / f"{run_id}.db") as conn:
            (count,) = conn.execute("select count(*) from event_logs").fetchone()
        assert count == len(instance.all_logs(run_id))


def test_after_a_wipe_events_are_written_to_new_files(home):
    """Wiping the instance deletes the run shards. No engine kept open goes on writing a
    deleted file: an event logged afterwards for the same run is on disk, where any reader
    finds it, as with Dagster's own storage."""
    with dg.DagsterInstance.get() as instance:
        run_id = run_numbers(instance)
        run = instance.get_run_by_id(run_id)
        instance.wipe()
        assert instance.get_runs() == []
        instance.report_engine_event("logged after the wipe", run)
        with sqlite3.connect(home / "history" / "runs" / f"{run_id}.db") as conn:
            messages = [m for (m,) in conn.execute("select event from event_logs")]
        assert len(messages) == 1 and "logged after the wipe" in messages[0]
