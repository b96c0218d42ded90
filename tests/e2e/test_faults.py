"""Faults beyond a bad file, through psw's command line: each says its cause in one line.

A stop (SIGTERM) at any step gives psw's stopped line alone and the status 143; a full disk
says so, in the terminal and the failure log. (A stop while the ingestion writes, and the
preflight's refusals, are in test_operations.py.)"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import time

import pytest
from conftest import copy_of_make_run, run_cli, start_cli

STOPPED = 143


@pytest.fixture
def loaded_copy(make_run, tmp_path):
    return copy_of_make_run(make_run, tmp_path)


def stopped_after(command: list[str], env: dict, seconds: float):
    """The command started, SIGTERM after `seconds`; its status and standard error."""
    process = start_cli(*command, env=env)
    time.sleep(seconds)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def assert_stopped_alone(status: int, out: str, err: str) -> None:
    assert status == STOPPED, out + err
    lines = err.strip().splitlines()  # psw's line alone: no traceback, no ignored exception
    assert len(lines) == 1 and lines[0].startswith("psw: stopped;"), err
    assert "Traceback" not in out


@pytest.mark.parametrize("seconds", [1.0, 3.0], ids=["importing Dagster", "writing the report"])
def test_a_stop_while_the_report_is_written_says_stopped(loaded_copy, seconds):
    """`make report` stopped while Dagster is imported, and while the report's run draws the
    charts and writes the files: the report is written whole or keeps its last version."""
    warehouse, _raw, env = loaded_copy
    reports = warehouse.parent / "reports"
    shutil.rmtree(reports, ignore_errors=True)
    status, out, err = stopped_after(["report", "--month", "2025-06"], env, seconds)
    assert_stopped_alone(status, out, err)
    assert "psw: stopped; the report keeps its last version" in err
    assert not list(reports.rglob(".*.partial"))
    written = list(reports.rglob("*.xlsx")) + list(reports.rglob("*.html"))
    assert written == [] or len(written) == 2, written  # never a part of one


def test_a_stop_before_the_first_month_says_stopped(loaded_copy):
    """`make run` stopped while it starts (Dagster imported, the raw folder read)."""
    warehouse, _raw, env = loaded_copy
    status, out, err = stopped_after(["run"], env, 0.8)
    assert_stopped_alone(status, out, err)
    assert "dbt build" not in out


def test_a_full_disk_says_so_in_one_line(make_run, tmp_path):
    """The month's report written to a disk that is full: the step fails, and psw says the
    disk is full, in the terminal and the failure log (not only "see the FAILED lines")."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.decode().strip()}")
    try:
        with open(disk / "filler", "wb") as filler, contextlib.suppress(OSError):
            while True:  # every byte of it
                filler.write(b"\0" * 65536)
                filler.flush()
        warehouse = tmp_path / "warehouse" / "psw.duckdb"
        warehouse.parent.mkdir()
        shutil.copy(make_run["warehouse"], warehouse)
        env = {
            "PSW_WAREHOUSE_PATH": str(warehouse),
            "PSW_REPORT_DIR": str(disk / "reports"),
            "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        }
        result = run_cli("report", "--month", "2025-06", env=env, timeout=300)
        assert result.returncode == 1, result.stdout + result.stderr
        said = [line for line in result.stderr.splitlines() if line.startswith("psw: no space")]
        assert said and f"the disk of {disk / 'reports'}" in said[0], result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        log = warehouse.parent / "logs" / "run_failures.log"
        assert said[0] in log.read_text(encoding="utf-8")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
