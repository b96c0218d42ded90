"""`make profile`: flame graphs of where psw's time goes, into docs/profiles/ (py-spy).

  ingest_100k.svg   bench/ingest.py's psw mode on a 100,000-row enterprises file (the GX
                    suite's first use included: the file is read, validated and written twice)
  month_x1.svg      `python -m orchestration.cli run --months 2025-06` on the sample's June,
                    into a new warehouse, with dbt's process beside it (--subprocesses)

The SVGs open in a browser offline (py-spy writes them self-contained); hovering shows a
frame's share. py-spy samples the processes it starts; it needs no privileges for that.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = REPO / "docs" / "profiles"
RATE = "40"  # samples a second: enough for a 1-minute run, and SVGs of a few hundred KB


def record(name: str, command: list[str], env: dict | None = None, subprocesses=False) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    svg = OUT / f"{name}.svg"
    flags = ["--subprocesses"] if subprocesses else []
    subprocess.run(
        [
            str(BIN / "py-spy"),
            "record",
            "--rate",
            RATE,
            *flags,
            "--output",
            str(svg),
            "--",
            *command,
        ],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    print(f"[profile] {svg.relative_to(REPO)}", flush=True)
    return svg


def main() -> None:
    import os

    work = Path(tempfile.mkdtemp(prefix="psw-profile-"))
    try:
        data = work / "ingest"
        subprocess.run(
            [
                sys.executable,
                str(REPO / "raw" / "_generator" / "generate.py"),
                "--out",
                str(data),
                "--months",
                "2025-06..2025-06",
                "--enterprises",
                "100000",
                "--sources",
                "enterprises",
            ],
            check=True,
            capture_output=True,
        )
        file = next((data / "enterprises").glob("*.xlsx"))
        record(
            "ingest_100k",
            [sys.executable, str(REPO / "bench" / "ingest.py"), "psw", str(file), str(work / "i")],
        )
        june = work / "june"
        for path in (REPO / "raw").glob("*/*.xlsx"):
            if any(m in path.name for m in ("2025-06", "202506", "2025年6月")):
                (june / path.parent.name).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, june / path.parent.name / path.name)
        env = {
            **os.environ,
            "PSW_RAW_DIR": str(june),
            "PSW_WAREHOUSE_PATH": str(work / "month" / "psw.duckdb"),
            "DAGSTER_HOME": str(work / "month" / "dagster_home"),
        }
        record(
            "month_x1",
            [sys.executable, "-m", "orchestration.cli", "run", "--months", "2025-06"],
            env,
            subprocesses=True,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
