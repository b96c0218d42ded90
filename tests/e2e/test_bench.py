"""The benchmark script runs (at a tiny scale): `make bench` itself is not part of the tests."""

import os
import subprocess
import sys

from conftest import REPO


def test_bench_runs_at_a_tiny_scale(tmp_path):
    out = tmp_path / "benchmarks.md"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PSW_BENCH_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = out.read_text()
    for line in (
        "ingest: psw ≤ 2 × the calamine floor",
        "ingest psw",
        "ingest floor",
        "ingest naive",
        "month x1 psw",
        "month x1 floor",
        "month x1 peak RSS",
        "dagster definitions validate",
        "import definitions",
        "Machine: ",
    ):
        assert line in report, line
    assert "not measured" in report  # --quick leaves the history step out
    # the month measured holds June's file of each of the four sources, whatever its name's form
    june = sorted(p.parent.name for p in (tmp_path / "data" / "month_x1_june").rglob("*.xlsx"))
    assert june == ["demand_survey", "enterprises", "projects", "zones"]
