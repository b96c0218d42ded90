"""How far one machine goes (docs/scale.md): a month at x1000 the samples on DuckDB, and the
same dbt build on Spark (local[2], dbt-spark's `session` method) beside DuckDB's at x10 and x100.

Steps of `bench/run.py` (`province`, `spark`); `python bench/run.py --steps province,spark`
runs them alone and writes their section of docs/benchmarks.md, leaving the rest as it was.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from run import BIN, REPO, Figure, june_files, load_month, node_seconds, timed

from orchestration.lib.dbt.spark import duckdb_from_parquet, export_raw

SPARK_PYTHON = REPO / ".venv-spark" / "bin" / "python"
SECTION = "## Beyond one machine"


def bench_province(work: Path, scale: int = 1000) -> dict[str, Figure]:
    """One month end to end at `scale` × the samples (x1000: 450,000 enterprises, 20,000
    projects), once: the load and its peak memory."""
    june = june_files(work, scale)
    home = work / f"month_x{scale}_province"
    shutil.rmtree(home, ignore_errors=True)
    # without the analysis' PDF: LibreOffice laying out its table of 20,000 key projects had
    # run five minutes at 3.7 GB, unfinished (docs/scale.md); the workbook, HTML and Word are
    # written
    seconds, peak = load_month(june, home, PSW_REPORT_PDF="0")
    return {
        f"month_x{scale}": Figure(f"month x{scale} psw", [seconds]),
        f"rss_x{scale}": Figure(f"month x{scale} peak RSS", [peak], unit="MiB"),
        f"dbt_x{scale}": Figure(
            f"month x{scale} of it: the dbt build", [node_seconds(("model.", "test.", "seed."))]
        ),
    }


def bench_spark(work: Path, scales: list[int], repeats: int) -> dict[str, Figure]:
    """The same `dbt build` (every model, test and unit test) on DuckDB and on Spark, from the
    same raw tables (a month at `scale` loaded by psw, exported as Parquet)."""
    if not SPARK_PYTHON.exists():
        print("  (no .venv-spark: `make test-spark` makes it; the Spark step is skipped)")
        return {}
    figures: dict[str, Figure] = {}
    for scale in scales:
        home = work / f"spark_x{scale}"
        shutil.rmtree(home, ignore_errors=True)
        load_month(june_files(work, scale), home)
        spark_home = home / "spark"
        export_raw(home / "psw.duckdb", spark_home)
        duck, spark = Figure(f"dbt build x{scale} DuckDB"), Figure(f"dbt build x{scale} Spark")
        for i in range(repeats):
            database = home / f"duckdb_{i}.duckdb"
            duckdb_from_parquet(spark_home, database)
            duck.runs.append(
                timed(
                    [str(BIN / "dbt"), "build", "--profiles-dir", ".", "--target", "docs"]
                    + ["--target-path", "target/bench-duckdb"],
                    {"PSW_DOCS_DATABASE": str(database)},
                    cwd=REPO / "dbt_project",
                )[0]
            )
            for stale in ("warehouse", "metastore_db"):
                shutil.rmtree(spark_home / stale, ignore_errors=True)
            spark.runs.append(
                timed(
                    [str(SPARK_PYTHON), "-m", "orchestration.lib.dbt.spark", "build"]
                    + ["--target-path", "target/bench-spark"],
                    {"PSW_SPARK_HOME": str(spark_home)},
                )[0]
            )
        figures[f"dbt_duckdb_x{scale}"], figures[f"dbt_spark_x{scale}"] = duck, spark
    return figures


def section(figures: dict[str, Figure], when: str) -> str:
    def f(key: str) -> float:
        return figures[key].median if key in figures else float("nan")

    lines = [
        SECTION,
        "",
        f"Written by `python bench/run.py --steps province,spark` {when}. A month at x1000 "
        "the samples runs once (it takes minutes); each figure is the median of the runs "
        "listed. What the figures mean for when to leave one machine: docs/scale.md.",
        "",
        "| measurement | median | runs |",
        "| --- | ---: | --- |",
    ]
    for figure in figures.values():
        runs = ", ".join(f"{run:.2f}" for run in figure.runs)
        lines.append(f"| {figure.name} | {figure.median:.2f} {figure.unit} | {runs} |")
    ratios = [
        f"- Spark local[2] ÷ DuckDB, the same dbt build at x{scale}: "
        f"**{f(f'dbt_spark_x{scale}') / f(f'dbt_duckdb_x{scale}'):.1f} ×**"
        for scale in sorted(int(key[len("dbt_spark_x") :]) for key in figures if "spark_x" in key)
    ]
    if ratios:
        lines += ["", *ratios]
    lines += [
        "",
        "- **month x1000**: `python -m orchestration.cli run --months 2025-06` on a fresh "
        "warehouse, the four monthly sources at 1000 × the sample (450,000 enterprises, 20,000 "
        "projects), process start included, without the analysis' PDF (docs/scale.md); peak "
        "RSS of its largest process (wait4).",
        "- **dbt build on DuckDB and Spark**: a month at x10 and x100 loaded by psw, its raw "
        "schema exported as Parquet (orchestration/lib/dbt/spark.py), then the whole `dbt "
        "build` (67 models, 162 data tests, 9 unit tests, 13 seeds) on a DuckDB file of those "
        "tables and on Spark (`python -m orchestration.lib.dbt.spark build`: a SparkSession "
        "started in the process, local[2], 3 GiB driver), process start included.",
    ]
    return "\n".join(lines) + "\n"


def write_section(out: Path, text: str) -> None:
    """Put the section in the benchmarks page, in place of the one it had."""
    page = out.read_text() if out.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    page = pattern.sub(lambda _: text + "\n", page) if pattern.search(page) else page + "\n" + text
    out.write_text(page.rstrip("\n") + "\n")
