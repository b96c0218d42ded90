"""One ingest measurement, run by bench/run.py in a process of its own; prints JSON.

Modes, on one enterprises spreadsheet:
  psw    psw's ingestion: read the government sheet, validate it with the GX suite, write it
         to DuckDB (what the ingestion asset does, without the Dagster run around it);
  floor  python-calamine reading the sheet into memory: the unavoidable work;
  naive  what a user would otherwise write: pandas read_excel with openpyxl, then a DuckDB insert.

Imports and GX's first-use set-up are warmed up before the clock starts: a long-lived process
(the Dagster code server, `make run`) pays them once, not per file.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def psw(path: Path, work: Path) -> float:
    import duckdb

    from orchestration.lib.delivery.sources import SOURCES
    from orchestration.lib.loading.month import load_month

    source = SOURCES["enterprises"]
    raw_dir = path.parent.parent
    month = "2025-06"

    def load(database: Path) -> None:
        with duckdb.connect(str(database)) as conn:
            outcome, _ = load_month(conn, raw_dir, source, month, work / "gx", work / "data_docs")
        assert outcome.status == "loaded", outcome.summary()

    load(work / "warmup.duckdb")
    start = time.perf_counter()
    load(work / "psw.duckdb")
    return time.perf_counter() - start


def floor(path: Path, work: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("企业").to_python()
    assert len(rows) > 3
    return time.perf_counter() - start


def naive(path: Path, work: Path) -> float:
    import duckdb
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_excel(path, sheet_name="企业", header=2, engine="openpyxl")  # noqa: F841
    with duckdb.connect(str(work / "naive.duckdb")) as conn:
        conn.execute("create table enterprises as select * from frame")  # DuckDB reads `frame`
    return time.perf_counter() - start


if __name__ == "__main__":
    mode, file, workdir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    workdir.mkdir(parents=True, exist_ok=True)
    seconds = {"psw": psw, "floor": floor, "naive": naive}[mode](file, workdir)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak_kib / 1024}))
