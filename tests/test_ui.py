"""`make ui` for real: the webserver and daemon on a free loopback port, asked through GraphQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

LOCATION = {"repositoryName": "__repository__", "repositoryLocationName": "psw"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    """`make ui` with an empty raw folder, so that its sensor has nothing to load."""
    home = tmp_path_factory.mktemp("ui")
    (home / "raw").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "PSW_RAW_DIR": str(home / "raw"),
        "PSW_WAREHOUSE_PATH": str(home / "warehouse" / "psw.duckdb"),
        "DAGSTER_HOME": str(home / "dagster_home"),
        "PSW_UI_PORT": str(port),
    }
    with open(home / "ui.log", "w") as log:  # the child keeps its own copy of the handle
        process = subprocess.Popen(
            ["make", "ui"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                data = graphql(port, "{ assetNodes { assetKey { path } } }")
                if data["assetNodes"]:
                    break
            except OSError:
                pass
            assert process.poll() is None, (home / "ui.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (home / "ui.log").read_text()[-3000:]
            time.sleep(1)
        yield {"port": port, "home": home, "process": process}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_ui_listens_on_loopback_only(ui):
    assert listening_addresses(ui["port"]) == {"0100007F"}  # 127.0.0.1


def test_ui_lists_the_schedules_and_sensors_running(ui):
    data = graphql(
        ui["port"],
        """
        query($selector: RepositorySelector!) {
          schedulesOrError(repositorySelector: $selector) {
            ... on Schedules { results { name cronSchedule executionTimezone
                                          scheduleState { status } } } }
          sensorsOrError(repositorySelector: $selector) {
            ... on Sensors { results { name sensorState { status } } } }
        }""",
        {"selector": LOCATION},
    )
    schedules = {s["name"]: s for s in data["schedulesOrError"]["results"]}
    sensors = {s["name"]: s["sensorState"]["status"] for s in data["sensorsOrError"]["results"]}
    assert schedules["monthly_load_schedule"]["scheduleState"]["status"] == "RUNNING"
    assert schedules["monthly_load_schedule"]["cronSchedule"] == "0 8 10 * *"
    assert schedules["monthly_load_schedule"]["executionTimezone"] == "Asia/Shanghai"
    assert schedules["freshness_schedule"]["scheduleState"]["status"] == "RUNNING"
    assert sensors == {"new_file_sensor": "RUNNING", "run_failure_log_sensor": "RUNNING"}
