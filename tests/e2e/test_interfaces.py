"""What psw's commands hand on: `make query` and `make report` pass their value to psw exactly
as typed (make expands none of it, no shell reads it), a query is stopped at its time and
memory bounds with one line, and the validation pages server serves only regular files."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO


def make(target: str, warehouse: Path, *assignments: str, **env: str):
    return subprocess.run(
        ["make", "--no-print-directory", target, *assignments],
        cwd=REPO,
        env={**os.environ, "PSW_WAREHOUSE_PATH": str(warehouse), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_query_hands_the_sql_to_duckdb_as_typed(make_run, tmp_path):
    """`$` is no make variable: like '%$%' stays itself (0 rows, not all 450), and `$(shell
    …)`, `$$`, backquotes and double quotes reach DuckDB as text; nothing runs."""
    warehouse = make_run["warehouse"]
    # the README's quoting: \$ inside double quotes is the shell's own
    sql = "select count(*) as n from raw.enterprises where enterprise_name like '%$%'"
    result = make("query", warehouse, f"SQL={sql}", "WAREHOUSE=internal")
    assert result.returncode == 0, result.stderr
    assert re.search(r"│\s*0\s*│", result.stdout), result.stdout  # make's '%%' counts 450
    marker = tmp_path / "ran"
    text = f'$(shell touch {marker}) $$HOME `touch {marker}` "q" $(HOME)'
    result = make("query", warehouse, "SQL=select '" + text.replace("'", "''") + "' as t")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    shown = " ".join(result.stdout.split())
    assert f"$(shell touch {marker}) $$HOME" in shown, result.stdout
    assert "$(HOME)" in shown and str(Path.home()) not in shown


def test_make_report_hands_the_month_to_psw_as_typed(make_run, tmp_path):
    marker = tmp_path / "ran"
    result = make("report", make_run["warehouse"], f"MONTH=2025-06; touch {marker}")
    assert result.returncode == 2
    assert not marker.exists()
    assert f"psw: MONTH must look like 2025-06, not '2025-06; touch {marker}'" in result.stderr


@pytest.mark.parametrize(
    "sql, bound, said",
    [
        (
            "select count(*) from range(100000000000) a",
            {"PSW_QUERY_SECONDS": "1"},
            "query stopped: it ran past 1 s (PSW_QUERY_SECONDS sets the bound)",
        ),
        (
            "select length(string_agg(repeat('x', 100), '')) from range(10000000)",
            {"PSW_QUERY_MEMORY": "200MB"},
            "query stopped: it needed more than 200MB of memory (PSW_QUERY_MEMORY sets the bound)",
        ),
        (  # what would spill to disk is not written there either
            "select count(distinct i::varchar || 'abcdefghijkl') from range(30000000) t(i)",
            {"PSW_QUERY_MEMORY": "200MB"},
            "query stopped: it needed more than 200MB",
        ),
    ],
    ids=["time", "memory", "no spill"],
)
def test_a_query_past_its_bound_is_stopped_with_one_line(make_run, sql, bound, said):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "query", sql],
        cwd=REPO,
        env={**os.environ, "PSW_WAREHOUSE_PATH": str(make_run["warehouse"]), **bound},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == said or result.stderr.startswith(said), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert time.monotonic() - started < 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_pages_server_serves_regular_files_inside_its_folder_only(tmp_path):
    pages = tmp_path / "warehouse" / "validations"
    (pages / "2025-06").mkdir(parents=True)
    (pages / "index.html").write_text("<p>index</p>", encoding="utf-8")
    (pages / "2025-06" / "page.html").write_text("<p>page</p>", encoding="utf-8")
    (pages / "empty").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (pages / "link.html").symlink_to(secret)
    (pages / "inner.html").symlink_to(pages / "2025-06" / "page.html")
    (pages / "out").symlink_to(tmp_path)
    os.mkfifo(pages / "pipe.html")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "pages"],
        cwd=REPO,
        env={
            **os.environ,
            "PSW_WAREHOUSE_PATH": str(tmp_path / "warehouse" / "psw.duckdb"),
            "PSW_PAGES_PORT": str(port),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:

        def status(path: str) -> int:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                        return r.status
                except urllib.error.HTTPError as error:
                    return error.code
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

        assert status("/") == 200
        assert status("/2025-06/page.html") == 200
        for path in (
            "/link.html",  # a link out
            "/inner.html",  # a link, even to a page inside
            "/out/secret.txt",  # through a linked folder
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/empty/",  # a folder with no index page: no listing
            "/2025-06/",
            "/pipe.html",
            "/missing.html",
        ):
            assert status(path) == 404, path
    finally:
        server.terminate()
        server.wait(timeout=10)
