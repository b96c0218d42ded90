"""`make ui` for real: the webserver and daemon on a free loopback port, asked through GraphQL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, RAW, REPO, launch_chromium

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
def ui(make_run, tmp_path_factory):
    """`make ui` on the warehouse and run history `make run` left: its sensor finds every file
    already loaded, so it starts nothing."""
    home = tmp_path_factory.mktemp("ui")
    port = free_port()
    env = {
        **os.environ,
        "PSW_RAW_DIR": str(RAW),
        "PSW_WAREHOUSE_PATH": str(make_run["warehouse"]),
        "DAGSTER_HOME": str(make_run["dagster_home"]),
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


ASSETS = """{ assetNodes { assetKey { path } groupName description
    owners { ... on TeamAssetOwner { team } ... on UserAssetOwner { email } }
    dependencyKeys { path } } }"""


def test_every_asset_is_served_with_owner_description_and_lineage(ui, dbt_manifest):
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(ui["port"], ASSETS)["assetNodes"]}
    manifest = json.loads(dbt_manifest.read_text())
    models = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    served = {key.split("/")[-1] for key in nodes}
    assert models <= served
    for source in ("projects", "zones", "enterprises", "demand_survey"):
        assert f"raw/{source}" in nodes and f"raw_files/{source}" in nodes
    for key, node in nodes.items():
        assert node["owners"], key
        assert (node["description"] or "").strip(), key

    upstream, todo = set(), ["marts/fct_indicator_value"]
    while todo:
        for dep in nodes[todo.pop()]["dependencyKeys"]:
            name = "/".join(dep["path"])
            if name not in upstream:
                upstream.add(name)
                todo.append(name)
    for source in ("projects", "zones", "enterprises", "demand_survey"):
        assert {f"raw_files/{source}", f"raw/{source}"} <= upstream
    assert "marts/fct_indicator_value" in {
        "/".join(d["path"]) for d in nodes["published/psw_duckdb"]["dependencyKeys"]
    }


def test_latest_indicator_materialisation_carries_a_row_count(ui):
    data = graphql(
        ui["port"],
        """{
      assetNodes(assetKeys: [{path: ["marts", "fct_indicator_value"]}]) {
        assetMaterializations(limit: 1) {
          partition
          metadataEntries { label ... on IntMetadataEntry { intValue } }
        } } }""",
    )
    latest = data["assetNodes"][0]["assetMaterializations"][0]
    counts = [e["intValue"] for e in latest["metadataEntries"] if e["label"] == "dagster/row_count"]
    assert counts and counts[0] > 2000


def test_asset_graph_page_draws_the_indicator_table(ui):
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "no chromium: `apt-get install chromium` (.ci/run does) to run the browser test"
        )
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    out = REPO / "tests" / "output"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"http://127.0.0.1:{ui['port']}/locations/psw/asset-groups/indicators")
        page.get_by_text("fct_indicator_value").first.wait_for(timeout=90_000)
        # the first-visit newsletter dialog comes up a moment after the page, if at all
        with contextlib.suppress(PlaywrightTimeout):
            page.get_by_role("button", name="Skip").first.click(timeout=10_000)
        page.wait_for_timeout(1500)  # let the graph finish laying out before the picture
        page.screenshot(path=str(out / "asset_graph_indicators.png"))
        text = page.inner_text("body")
        browser.close()
    assert "fct_indicator_value" in text
    for failure in ("Something went wrong", "Unexpected GraphQL error", "PythonError"):
        assert failure not in text
