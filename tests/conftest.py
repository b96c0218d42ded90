"""Shared fixtures: the prepared dbt manifest and a warehouse loaded by `make run`'s code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.lib import settings

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
DBT_DIR = REPO / "dbt_project"

# No PDF of the reports the suite's runs write (LibreOffice takes about two seconds a report):
# test_report's June report and test_vintages' released correction ask for theirs.
os.environ["PSW_REPORT_PDF"] = "0"


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """The manifest Dagster loads the dbt models from, prepared as `make` does (for the
    resolved default warehouse, whose first build takes this parse): again only when a file of
    the dbt project is newer than it."""
    manifest = DBT_DIR / "target" / "dagster" / "manifest.json"
    sources = [
        path
        for folder in ("models", "macros", "seeds", "tests")
        for path in (DBT_DIR / folder).rglob("*")
        if path.is_file()
    ] + [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml"]
    newest = max(path.stat().st_mtime for path in sources)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        subprocess.run(
            [
                str(Path(sys.executable).parent / "dbt"),
                *("parse", "--profiles-dir", ".", "--target-path", "target/dagster", "--quiet"),
            ],
            cwd=DBT_DIR,
            check=True,
            env={**os.environ, "PSW_WAREHOUSE_PATH": str(settings.warehouse_path())},
        )
    return manifest


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def launch_chromium(playwright):
    """Debian's chromium, headless, with none of its own background traffic (this machine's
    network is closed: those connections would only be refused)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )


VINTAGES_HEADING = "### What was published when"


def readme_queries(vintages: bool) -> list[str]:
    """The README's SQL examples: those before its section on vintages (they answer on the
    sample warehouse), or those in it (they need a correction to answer)."""
    import re

    text = (REPO / "README.md").read_text()
    before, _, after = text.partition(VINTAGES_HEADING)
    section = after.split("\n## ", 1)[0] if vintages else before
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def run_cli(*args: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_cli(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """psw's command line in a subprocess, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def full_month_counts() -> dict[str, dict[str, int]]:
    """Rows each sample file puts in its raw table, by source and month."""
    from orchestration.lib.delivery.files import deliveries
    from orchestration.lib.delivery.sources import SOURCES
    from orchestration.lib.reading.sheet import read_sheet

    return {
        name: {
            d.month: len(read_sheet(d.path, source).warehouse_rows()) for d in deliveries(RAW, name)
        }
        for name, source in SOURCES.items()
        if name in ("projects", "enterprises")
    }


def run_cli_while_reading(published: Path, env: dict[str, str]):
    """`make run` in a subprocess while this process queries the published warehouse in a
    loop, as an analyst would: every query must succeed and see whole months only."""
    expected = full_month_counts()
    process = start_cli("run", env=env)
    reads = {"queries": 0, "errors": [], "partial_months": [], "months_seen": set()}
    while process.poll() is None:
        if not published.exists():
            time.sleep(0.05)
            continue
        try:
            with duckdb.connect(str(published), read_only=True) as conn:
                for table, months in expected.items():
                    counts = conn.execute(
                        f"select month, count(*) from raw.{table} group by month"
                    ).fetchall()
                    for month, count in counts:
                        reads["months_seen"].add((table, month))
                        if count != months.get(month):
                            reads["partial_months"].append((table, month, count))
            reads["queries"] += 1
        except Exception as error:  # a lock error or a torn file would land here
            reads["errors"].append(repr(error))
        time.sleep(0.02)
    out, err = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), reads


def table_fingerprints(warehouse: Path, schemas=("raw", "staging", "marts")) -> dict[str, tuple]:
    """Row count and an order-independent hash of every table, by name."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ? and table_type = 'BASE TABLE' order by 1",
            [list(schemas)],
        ).fetchall()
        return {
            name: tuple(
                conn.execute(f"select count(*), bit_xor(hash(t)) from {name} t").fetchall()[0]
            )
            for (name,) in tables
        }


# Logs every run appends to, whatever it changes: left out when asking whether data changed.
LOG_TABLES = ("raw.load_log", "raw.publications")


def data_fingerprints(fingerprints: dict[str, tuple]) -> dict[str, tuple]:
    return {name: value for name, value in fingerprints.items() if name not in LOG_TABLES}


def _make_run(home: Path) -> dict:
    env = {
        "PSW_RAW_DIR": str(RAW),
        "PSW_WAREHOUSE_PATH": str(home / "psw.duckdb"),
        "DAGSTER_HOME": str(home / "dagster_home"),
        "PSW_SAMPLE_SIGNOFF": "1",  # as the Makefile sets it for raw/
    }
    first, reads = run_cli_while_reading(home / "psw.duckdb", env)
    assert first.returncode == 0, first.stdout + first.stderr
    after_first = table_fingerprints(home / "psw.duckdb")
    second = run_cli("run", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    return {
        "warehouse": home / "psw.duckdb",
        "env": env,
        "dagster_home": home / "dagster_home",
        "first": first,
        "second": second,
        "after_first": after_first,
        "reads": reads,
        "after_second": table_fingerprints(home / "psw.duckdb"),
    }


@pytest.fixture(scope="session")
def make_run(tmp_path_factory, worker_id) -> dict:
    """`make run` on the sample spreadsheets, twice, into a temporary warehouse: once for
    the whole session, whichever pytest-xdist worker asks first (the others wait for it)."""
    if worker_id == "master":  # not under xdist
        return _make_run(tmp_path_factory.mktemp("make_run"))
    import fcntl
    import pickle

    shared = tmp_path_factory.getbasetemp().parent  # the same for every worker
    with open(shared / "make_run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "make_run.pickle"
        if not done.exists():
            home = Path(tempfile.mkdtemp(prefix="make_run", dir=shared))
            done.write_bytes(pickle.dumps(_make_run(home)))
        return pickle.loads(done.read_bytes())


def copy_of_make_run(make_run: dict, home: Path) -> tuple[Path, Path, dict[str, str]]:
    """A copy of `make run`'s warehouse and of the sample raw folder under `home`, and the
    settings of a run on them (its own Dagster instance)."""
    warehouse = home / "warehouse" / "psw.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copy(make_run["warehouse"], warehouse)
    raw = home / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("_generator"))
    env = {
        "PSW_RAW_DIR": str(raw),
        "PSW_WAREHOUSE_PATH": str(warehouse),
        "DAGSTER_HOME": str(home / "dagster_home"),
        "PSW_SAMPLE_SIGNOFF": "0",  # every draft waits for its approval
    }
    return warehouse, raw, env


@pytest.fixture(scope="session")
def warehouse(make_run) -> duckdb.DuckDBPyConnection:
    with duckdb.connect(str(make_run["warehouse"]), read_only=True) as conn:
        yield conn


def pytest_collection_modifyitems(config, items):
    """Order the files so that both workers are busy while `make_run` builds: first a file
    that needs it (its worker builds it), then the files that do not (the other worker runs
    them meanwhile), then the rest. The Makefile keeps this order (--no-loadscope-reorder)."""
    needs: dict[Path, bool] = {}
    counts: dict[Path, int] = {}
    for item in items:
        needs[item.path] = needs.get(item.path, False) or "make_run" in item.fixturenames
        counts[item.path] = counts.get(item.path, 0) + 1
    first = max((p for p in needs if needs[p]), key=lambda p: counts[p], default=None)

    def rank(path: Path) -> int:
        return 0 if path == first else (1 if not needs[path] else 2)

    items.sort(key=lambda item: rank(item.path))
