"""`make ui` for real: the webserver and daemon on a free loopback port, asked through GraphQL."""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, RAW, REPO, launch_chromium, run_cli

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


def break_zones_june(raw: Path) -> Path:
    """A negative revenue in June's cluster file: rules G4, G6 and Z4 reject it."""
    from sheets import data_rows, find_col, variant

    path = raw / "zones" / "集聚区月报_2025年6月.xlsx"

    def negative_revenue(grid):
        _, column = find_col(grid, "1-本月营业收入")
        grid[data_rows(grid, "集聚区名称")[2]][column] = -5

    variant(path, path, negative_revenue)
    return path


@pytest.fixture(scope="module")
def ui(make_run, tmp_path_factory):
    """`make ui` on a copy of the warehouse and run history `make run` left, after one more
    run that rejected June's cluster file: its sensor finds every file already loaded, so
    it starts nothing."""
    home = tmp_path_factory.mktemp("ui")
    shutil.copy(make_run["warehouse"], home / "psw.duckdb")
    shutil.copytree(make_run["dagster_home"], home / "dagster_home")
    for folder in ("drafts", "release"):  # the release as `make run` left it
        shutil.copytree(make_run["warehouse"].parent / folder, home / folder)
    shutil.copytree(RAW, home / "raw", ignore=shutil.ignore_patterns("_generator"))
    rejected = break_zones_june(home / "raw")
    port, pages_port = free_port(), free_port()
    env = {
        **os.environ,
        "PSW_RAW_DIR": str(home / "raw"),
        "PSW_WAREHOUSE_PATH": str(home / "psw.duckdb"),
        "DAGSTER_HOME": str(home / "dagster_home"),
        "PSW_UI_PORT": str(port),
        "PSW_PAGES_PORT": str(pages_port),
        "PSW_SAMPLE_SIGNOFF": "0",
    }
    run = run_cli("run", "--months", "2025-06", env=env)
    assert run.returncode == 1 and f"REJECTED {rejected.name}" in run.stdout, run.stdout
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
        yield {"port": port, "pages_port": pages_port, "home": home, "process": process}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_ui_listens_on_loopback_only(ui):
    assert listening_addresses(ui["port"]) == {"0100007F"}  # 127.0.0.1
    assert listening_addresses(ui["pages_port"]) == {"0100007F"}


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
    release = schedules["release_on_calendar"]
    assert release["scheduleState"]["status"] == "RUNNING"
    assert (release["cronSchedule"], release["executionTimezone"]) == (
        "*/10 * * * *", "Asia/Shanghai",
    )  # fmt: skip
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


def ui_page_text(
    ui, path: str, shows: str, picture: str, height: int = 1000, dialog: bool = False
) -> str:
    """A page of the UI in chromium: opened, waited for until it shows `shows`, kept as
    tests/output/<picture> for a person to look at; returns its text, which must hold none
    of the UI's error messages. `dialog`: wait for the first-visit dialog to dismiss it."""
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
        page = browser.new_page(viewport={"width": 1600, "height": height})
        page.goto(f"http://127.0.0.1:{ui['port']}{path}")
        page.get_by_text(shows).first.wait_for(timeout=90_000)
        if dialog:  # the first-visit newsletter dialog comes up a moment after, if at all
            with contextlib.suppress(PlaywrightTimeout):
                page.get_by_role("button", name="Skip").first.click(timeout=10_000)
        page.wait_for_timeout(1500)  # let the page finish laying out before the picture
        page.screenshot(path=str(out / picture))
        text = page.inner_text("body")
        browser.close()
    for failure in ("Something went wrong", "Unexpected GraphQL error", "PythonError"):
        assert failure not in text
    return text


def test_asset_graph_page_draws_the_indicator_table(ui):
    text = ui_page_text(
        ui, "/locations/psw/asset-groups/indicators", "fct_indicator_value",
        "asset_graph_indicators.png", dialog=True,
    )  # fmt: skip
    assert "fct_indicator_value" in text


def test_the_release_page_shows_each_months_state(ui):
    """The `release/published` asset: its latest materialisation says each month's state
    (draft, approved by whom, released when, version), as a table and a line per month; the
    asset's page shows them to a reader."""
    data = graphql(
        ui["port"],
        """{
      assetNodes(assetKeys: [{path: ["release", "published"]}]) {
        assetMaterializations(limit: 1) {
          metadataEntries { label
            ... on MarkdownMetadataEntry { mdStr }
            ... on TextMetadataEntry { text } } } } }""",
    )
    entries = {
        e["label"]: e.get("mdStr") or e.get("text")
        for e in data["assetNodes"][0]["assetMaterializations"][0]["metadataEntries"]
    }
    table = entries["states"]
    assert "| 2025-06 | released | v1 | 张三 |" in table and "2025-07-16 10:00" in table
    assert entries["state/2025-09"].startswith("released v1 (release time 2025-10-17 10:00")
    text = ui_page_text(
        ui, "/assets/release/published?view=events", "state/2025-06",
        "ui_release_states.png", height=1100,
    )  # fmt: skip
    assert "released v1 (release time 2025-07-16 10:00" in text


CHECK = """query($key: AssetKeyInput!) {
  assetCheckExecutions(assetKey: $key, checkName: "gx_validation", limit: 1) {
    status evaluation { severity success
      metadataEntries { label
        ... on MarkdownMetadataEntry { mdStr }
        ... on UrlMetadataEntry { url }
        ... on TextMetadataEntry { text } } } } }"""


def rejected_check(ui) -> dict:
    """The latest execution of the cluster file's validation."""
    data = graphql(ui["port"], CHECK, {"key": {"path": ["raw", "zones"]}})
    return data["assetCheckExecutions"][0]


def test_a_rejected_files_check_shows_the_rules_and_links_its_page(ui):
    from orchestration.lib.delivery.catalogue import catalogue

    execution = rejected_check(ui)
    assert execution["status"] == "FAILED"
    evaluation = execution["evaluation"]
    assert evaluation["severity"] == "ERROR" and not evaluation["success"]
    entries = {e["label"]: e for e in evaluation["metadataEntries"]}
    table = entries["problems"]["mdStr"]
    for rule in ("G4", "G6", "Z4"):
        assert f"| {rule} | {catalogue()[rule].text} |" in table
    assert "| 规则 rule | 说明 / what it asks |" in table
    url = entries["validation_report"]["url"]
    assert url.startswith(f"http://127.0.0.1:{ui['pages_port']}/zones/2025-06/")
    with urllib.request.urlopen(url, timeout=30) as response:
        page = html.unescape(response.read().decode())
    assert "拒收 / REJECTED" in page and "集聚区月报_2025年6月.xlsx" in page
    for rule in ("G4", "G6", "Z4"):
        assert catalogue()[rule].text in page
    # the sensor sees the rejected file as already tried: re-delivered changed, it runs again
    runs = graphql(
        ui["port"],
        """{ runsOrError(filter: {tags: [{key: "psw/trigger", value: "new_file"}]}) {
             ... on Runs { results { runId } } } }""",
    )
    assert runs["runsOrError"]["results"] == []


def test_the_check_and_its_page_open_in_a_browser_without_network(ui):
    """Chromium with every request beyond 127.0.0.1 refused: the UI's check shows the rules
    and rows, and the validation page renders with its styles."""
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium: `apt-get install chromium` (.ci/run does)")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from orchestration.lib.delivery.catalogue import catalogue as rules

    RULES = rules()
    url = {e["label"]: e for e in rejected_check(ui)["evaluation"]["metadataEntries"]}[
        "validation_report"
    ]["url"]
    out = REPO / "tests" / "output"
    out.mkdir(exist_ok=True)
    outside = []

    def local_only(route):
        host = urllib.parse.urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        context.route("**/*", local_only)
        page = context.new_page()
        page.goto(
            f"http://127.0.0.1:{ui['port']}/assets/raw/zones?view=checks&checkDetail=gx_validation"
        )
        page.get_by_text("Execution history").first.wait_for(timeout=90_000)
        with contextlib.suppress(PlaywrightTimeout):  # the first-visit newsletter dialog
            page.get_by_role("button", name="Skip").first.click(timeout=10_000)
        page.get_by_text("Execution history").first.click()
        failed = page.locator("tr", has_text="Failed").first
        failed.wait_for(timeout=60_000)
        failed.locator("button").last.click()  # its metadata
        page.get_by_text("validation_report").first.wait_for(timeout=30_000)
        page.get_by_text("[Show Markdown]").first.click()  # the table of the rules broken
        page.get_by_text(RULES["G4"].text).first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "ui_rejected_check.png"))
        ui_text = page.inner_text("body")
        outside.clear()  # the UI's own attempts, refused; the page must make none
        report = context.new_page()
        report.goto(url)
        report.screenshot(path=str(out / "validation_page.png"), full_page=True)
        report_text = report.inner_text("body")
        styled = report.evaluate(
            "getComputedStyle(document.querySelector('.verdict')).backgroundColor"
        )
        browser.close()
    for rule in ("G4", "G6", "Z4"):
        assert f"{rule}" in ui_text and RULES[rule].text in ui_text
    assert "拒收 / REJECTED" in report_text and "11" in report_text  # the 合计 row
    assert styled not in ("rgba(0, 0, 0, 0)", "transparent")
    assert outside == []


TIMELINE = """query($filter: RunsFilter!) {
  runsOrError(filter: $filter, limit: 500) { ... on Runs { results {
    runId pipelineName status startTime
    repositoryOrigin { repositoryName repositoryLocationName } } } } }"""


def test_make_runs_show_on_the_timeline_and_the_jobs_page(ui, make_run, monkeypatch):
    """The Overview timeline draws only runs with a repository origin, and the Jobs page
    lists a job's runs by it: every run `make run` started carries psw's."""
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(ui["home"] / "dagster_home"))  # dagster.yaml reads it
    with dg.DagsterInstance.get() as instance:
        expected = {run.run_id: run.job_name for run in instance.get_runs()}
    # the timeline's query: the runs updated in its window (here, all of them)
    runs = graphql(ui["port"], TIMELINE, {"filter": {"updatedAfter": 0}})["runsOrError"]["results"]
    assert {r["runId"]: r["pipelineName"] for r in runs} == expected
    assert len(expected) >= 2 * 9 + 2 + 2 + 1  # make_run twice, and the rejected month
    for run in runs:
        assert run["repositoryOrigin"] == {
            "repositoryName": "__repository__",
            "repositoryLocationName": "psw",
        }, run
        assert run["startTime"], run
    for job in ("ingest_month", "transform", "monthly_report"):
        data = graphql(
            ui["port"],
            """query($job: String!) { pipelineOrError(params: {pipelineName: $job,
                 repositoryName: "__repository__", repositoryLocationName: "psw"}) {
                 ... on Pipeline { runs(limit: 100) { runId } } } }""",
            {"job": job},
        )
        listed = {r["runId"] for r in data["pipelineOrError"]["runs"]}
        assert listed == {run_id for run_id, name in expected.items() if name == job}, job


def test_every_publication_is_a_materialisation_of_the_published_warehouse(ui):
    import duckdb

    data = graphql(
        ui["port"],
        """{ assetNodes(assetKeys: [{path: ["published", "psw_duckdb"]}]) {
             assetMaterializations(limit: 100) {
               metadataEntries { label ... on TextMetadataEntry { text } } } } }""",
    )
    published_by = {
        entry["text"]
        for event in data["assetNodes"][0]["assetMaterializations"]
        for entry in event["metadataEntries"]
        if entry["label"] == "published_by"
    }
    with duckdb.connect(str(ui["home"] / "psw.duckdb"), read_only=True) as conn:
        rows = conn.execute("select run_id from raw.publications").fetchall()
    publications = {run_id for (run_id,) in rows}
    assert publications and published_by == publications
