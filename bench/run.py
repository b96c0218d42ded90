"""`make bench`: how fast psw loads a month, how it scales, what it costs against the floor.

Every measurement runs in a process of its own (this script's children), is repeated, and
reported as a median; the results and the machine go to docs/benchmarks.md. Data is generated
by raw/_generator/generate.py into a folder outside the repository ($PSW_BENCH_DIR, default a
temporary folder).

  python bench/run.py                  # the full run (about 15 minutes on 2 cores)
  python bench/run.py --quick          # tiny scale, one repeat: the smoke test's run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.lib.periods import month_from_filename
from orchestration.lib.publishing.working_copy import WorkingCopy

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


@dataclass
class Figure:
    name: str
    runs: list[float] = field(default_factory=list)
    unit: str = "s"

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(command: list[str], env: dict | None = None, cwd: Path = REPO) -> tuple[float, float]:
    """Wall time and peak RSS (MiB, the process tree's largest) of a command."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output[-4000:]}")
    return seconds, usage.ru_maxrss / 1024


def generate(out: Path, months: str, enterprises: int, projects: int, sources: str) -> Path:
    if not out.exists():
        subprocess.run(
            [
                PYTHON,
                str(REPO / "raw" / "_generator" / "generate.py"),
                "--out",
                str(out),
                "--months",
                months,
                "--enterprises",
                str(enterprises),
                "--projects",
                str(projects),
                "--sources",
                sources,
            ],
            check=True,
            capture_output=True,
        )
    return out


# ---------------------------------------------------------------- the measurements


def bench_ingest(work: Path, rows: int, repeats: int) -> dict[str, Figure]:
    data = generate(work / f"ingest_{rows}", "2025-06..2025-06", rows, 20, "enterprises")
    file = next((data / "enterprises").glob("*.xlsx"))
    figures = {m: Figure(f"ingest {m}") for m in ("psw", "floor", "naive")}
    for i in range(repeats):
        for mode, figure in figures.items():
            scratch = work / f"ingest_run_{mode}_{i}"
            shutil.rmtree(scratch, ignore_errors=True)
            out = subprocess.run(
                [PYTHON, str(REPO / "bench" / "ingest.py"), mode, str(file), str(scratch)],
                cwd=REPO,
                check=True,
                capture_output=True,
                text=True,
            )
            figure.runs.append(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])
    return figures


def load_month(
    raw: Path, home: Path, months: str = "2025-06", **settings: str
) -> tuple[float, float]:
    env = {
        "PSW_RAW_DIR": str(raw),
        "PSW_WAREHOUSE_PATH": str(home / "psw.duckdb"),
        "DAGSTER_HOME": str(home / "dagster_home"),
        **settings,
    }
    return timed([PYTHON, "-m", "orchestration.cli", "run", "--months", months], env)


# What the indicator history and the provenance add to a build: their models and the tests on
# them (the provenance is a view: it costs a load its creation only).
HISTORY_AND_PROVENANCE = (
    "fct_indicator_value_changes",
    "fct_indicator_value_history",
    "fct_indicator_revision",
    "fct_indicator_provenance",
    "_indicators_traced",
)


# disclosure control: who makes each figure, the finest cells, the rules with the secondary
# cells and the LP audit (a dbt Python model), and the test that checks them again
DISCLOSURE = (
    "int_indicator_concentration",
    "int_indicator_interior_cells",
    "fct_indicator_disclosure",
    "held_figures_are_protected",
)


def node_seconds(names: tuple[str, ...]) -> float:
    """Seconds the newest dbt build spent on the nodes whose ids hold one of `names`."""
    latest = max(
        (REPO / "dbt_project" / "target").glob("*/run_results.json"),
        key=lambda path: path.stat().st_mtime,
    )
    return sum(
        result["execution_time"]
        for result in json.loads(latest.read_text())["results"]
        if any(name in result["unique_id"] for name in names)
    )


def history_seconds() -> float:
    """Seconds the newest dbt build spent on the history and provenance nodes."""
    return node_seconds(HISTORY_AND_PROVENANCE)


def month_floor(raw: Path, warehouse: Path, scratch: Path) -> float:
    """Reading the month's files with calamine, plus a bare `dbt build` of the same models
    on the raw tables psw loaded."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in raw.glob("*/*.xlsx"):
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_index(0).to_python()
    reading = time.perf_counter() - start
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "floor.duckdb"
    with duckdb.connect(str(copy)) as conn:
        conn.execute(f"attach '{warehouse}' as loaded (read_only)")
        conn.execute("create schema raw")
        for (table,) in conn.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'loaded' and table_schema = 'raw'"
        ).fetchall():
            conn.execute(f"create table raw.{table} as select * from loaded.raw.{table}")
    building, _ = timed(
        [str(BIN / "dbt"), "build", "--profiles-dir", ".", "--target", "docs", "--quiet"],
        {"PSW_DOCS_DATABASE": str(copy)},
        cwd=REPO / "dbt_project",
    )
    return reading + building


def june_files(work: Path, scale: int) -> Path:
    """A folder with 2025-06's files of four sources at `scale` × the sample."""
    raw = generate(
        work / f"month_x{scale}",
        "2025-05..2025-06",
        450 * scale,
        20 * scale,
        "projects,zones,enterprises,demand_survey",
    )
    june = work / f"month_x{scale}_june"
    if not june.exists():  # the month alone (May is its predecessor for G6 in history)
        for path in raw.glob("*/*.xlsx"):
            if month_from_filename(path.name) != "2025-06":  # …_202506, …_2025年6月, …
                continue
            (june / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, june / path.parent.name / path.name)
    return june


def bench_month(work: Path, scales: list[int], repeats: int) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for scale in scales:
        june = june_files(work, scale)
        load, floor, rss, history, disclosure = (
            Figure(f"month x{scale} psw"),
            Figure(f"month x{scale} floor"),
            Figure(f"month x{scale} peak RSS", unit="MiB"),
            Figure(f"month x{scale} of it: indicator history and provenance"),
            Figure(f"month x{scale} of it: disclosure control and its LP audit"),
        )
        for i in range(repeats):
            home = work / f"month_x{scale}_run{i}"
            shutil.rmtree(home, ignore_errors=True)
            seconds, peak = load_month(june, home)
            load.runs.append(seconds)
            rss.runs.append(peak)
            history.runs.append(history_seconds())
            disclosure.runs.append(node_seconds(DISCLOSURE))
            floor.runs.append(month_floor(june, home / "psw.duckdb", home / "floor"))
        figures |= {
            f"month_x{scale}": load,
            f"floor_x{scale}": floor,
            f"rss_x{scale}": rss,
            f"history_share_x{scale}": history,
            f"disclosure_x{scale}": disclosure,
        }
    return figures


def with_history(published: Path, months: int) -> None:
    """Give a warehouse loaded with 2025-06 `months - 1` earlier months of the same rows."""
    with duckdb.connect(str(published)) as conn:
        for table in ("projects", "zones", "enterprises"):
            for back in range(1, months):
                year, month = divmod(2025 * 12 + 5 - back, 12)
                conn.execute(
                    f"insert into raw.{table} by name select * replace "
                    f"('{year:04d}-{month + 1:02d}' as month) from raw.{table} "
                    f"where month = '2025-06'"
                )
    WorkingCopy(published).discard()  # the published file changed under the run's copy
    subprocess.run(
        [
            str(BIN / "dbt"),
            "build",
            "--profiles-dir",
            ".",
            "--target",
            "docs",
            "--quiet",
            "--full-refresh",
            "--exclude",
            "resource_type:test",
            "resource_type:unit_test",
        ],
        cwd=REPO / "dbt_project",
        check=True,
        capture_output=True,
        env={**os.environ, "PSW_DOCS_DATABASE": str(published)},
    )


def bench_history(work: Path, histories: list[int], repeats: int, scale: int) -> dict[str, Figure]:
    june = june_files(work, scale)
    figures = {}
    for months in histories:
        figure = Figure(f"reload one month at x{scale} with {months} months")
        home = work / f"history_{months}"
        shutil.rmtree(home, ignore_errors=True)
        load_month(june, home)
        with_history(home / "psw.duckdb", months)
        for _ in range(repeats):
            seconds, _ = load_month(june, home)  # same files: ingestion unchanged, dbt the month
            figure.runs.append(seconds)
        figures[f"history_{months}"] = figure
    return figures


def bench_backfill(work: Path, months: int) -> dict[str, Figure]:
    """`make run` on `months` months of sample-scale files (every source), into a new
    warehouse: each month ingested in its own run, then one dbt build, then the report."""
    last_year = 2025
    first_year = last_year - months // 12 + 1
    raw = generate(
        work / f"backfill_{months}",
        f"{first_year}-01..{last_year}-12",
        450,
        20,
        "projects,zones,enterprises,demand_survey,ledger",
    )
    home = work / f"backfill_{months}_run"
    shutil.rmtree(home, ignore_errors=True)
    env = {
        "PSW_RAW_DIR": str(raw),
        "PSW_WAREHOUSE_PATH": str(home / "psw.duckdb"),
        "DAGSTER_HOME": str(home / "dagster_home"),
        "PSW_FIRST_MONTH": f"{first_year}-01",
    }
    seconds, _ = timed([PYTHON, "-m", "orchestration.cli", "run"], env)
    return {"backfill": Figure(f"backfill of {months} months at x1", [seconds])}


def bench_startup(repeats: int) -> dict[str, Figure]:
    validate, imports = Figure("dagster definitions validate"), Figure("import definitions")
    for _ in range(repeats):
        validate.runs.append(
            timed(
                [str(BIN / "dagster"), "definitions", "validate", "-m", "orchestration.definitions"]
            )[0]
        )
        out = subprocess.run(
            [
                PYTHON,
                "-c",
                "import time; t = time.perf_counter(); "
                "import orchestration.definitions; "
                "print(time.perf_counter() - t)",
            ],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
        imports.runs.append(float(out.stdout.strip().splitlines()[-1]))
    return {"validate": validate, "import": imports}


# ---------------------------------------------------------------- the report


def machine() -> str:
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = f" ({names[0]})" if names else ""
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{cpu}{memory}; "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def report(figures: dict[str, Figure], args, elapsed: float) -> str:
    def f(key: str) -> float:
        return figures[key].median if key in figures else float("nan")

    big = max(args.scales)
    targets = [
        (
            "ingest: psw ≤ 2 × the calamine floor",
            f("psw") / f("floor"),
            "≤ 2",
            f("psw") / f("floor") <= 2,
        ),
        (
            "ingest: the naive way ≥ 5 × slower than psw",
            f("naive") / f("psw"),
            "≥ 5",
            f("naive") / f("psw") >= 5,
        ),
        (
            f"a month end to end ≤ 2 × its floor at x{big}",
            f(f"month_x{big}") / f(f"floor_x{big}"),
            "≤ 2",
            f(f"month_x{big}") / f(f"floor_x{big}") <= 2,
        ),
        (
            f"the indicator history and provenance add ≤ 20% to the x{big} month",
            f(f"history_share_x{big}") / (f(f"month_x{big}") - f(f"history_share_x{big}")),
            "≤ 0.2",
            f(f"history_share_x{big}") / (f(f"month_x{big}") - f(f"history_share_x{big}")) <= 0.2,
        ),
        (
            f"reload at x{args.history_scale} with {max(args.history)} months ≤ 1.2 × with "
            f"{min(args.history)}",
            f(f"history_{max(args.history)}") / f(f"history_{min(args.history)}"),
            "≤ 1.2",
            f(f"history_{max(args.history)}") / f(f"history_{min(args.history)}") <= 1.2,
        ),
        (
            f"a {args.backfill}-month backfill at x1 ÷ {args.backfill} × the x1 month's floor",
            f("backfill") / (args.backfill * f("floor_x1")),
            "(no bound)",
            None,
        ),
        (
            f"disclosure control and its audit, share of the x1 and x{big} month",
            f("disclosure_x1") / f("month_x1"),
            f"(no bound; x{big}: {f(f'disclosure_x{big}') / f(f'month_x{big}'):.2f})",
            None,
        ),
        (
            "code location loads in < 1/3 of a sample month's load",
            f("validate") / f("month_x1"),
            "< 0.33",
            f("validate") / f("month_x1") < 1 / 3,
        ),
        (
            f"peak RSS of the x{big} month ≤ 1.5 GiB",
            f(f"rss_x{big}"),
            "≤ 1536 MiB",
            f(f"rss_x{big}") <= 1536,
        ),
    ]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py{' --quick' if args.quick else ''}`) on "
        f"{dt.date.today().isoformat()} in {elapsed / 60:.1f} minutes; medians of "
        f"{args.repeats} run(s) each, every run in a process of its own.",
        "",
        f"Machine: {machine()}.",
        "",
        "## Targets",
        "",
        "| target | measured | bound | met |",
        "| --- | ---: | --- | --- |",
    ]
    for name, value, bound, met in targets:
        if value != value:  # NaN: a step the run left out
            lines.append(f"| {name} | not measured | {bound} | - |")
        else:
            shown = "-" if met is None else ("yes" if met else "**no**")
            lines.append(f"| {name} | {value:.2f} | {bound} | {shown} |")
    lines += ["", "## Figures", "", "| measurement | median | runs |", "| --- | ---: | --- |"]
    for figure in figures.values():
        runs = ", ".join(f"{r:.2f}" for r in figure.runs)
        lines.append(f"| {figure.name} | {figure.median:.2f} {figure.unit} | {runs} |")
    lines += [
        "",
        "## What is measured",
        "",
        f"- **ingest**: one `enterprises` file of {args.ingest_rows:,} rows. *psw*: reading the "
        "government sheet (header by name, units, 合计 row), the GX suite, the DuckDB write; "
        "*floor*: python-calamine reading the sheet; *naive*: pandas `read_excel` with openpyxl "
        "and a DuckDB insert. Imports are warmed up first, as in a long-lived process.",
        f"- **a month end to end**: `python -m orchestration.cli run --months 2025-06` on a fresh "
        f"warehouse with all four sources at {', '.join(f'x{s}' for s in args.scales)} the "
        "sample (450 enterprises and 20 projects per x): the Dagster runs, GX checks, dbt build "
        "and publish, process start included. Its *floor*: reading the same files with calamine "
        "plus a bare `dbt build` of the same models on the raw tables psw loaded.",
        "- **indicator history and provenance**: of the month's load, the seconds its dbt "
        "build spent on `fct_indicator_value_changes` (the published values compared and "
        "appended), the `fct_indicator_value_history`, `fct_indicator_revision` and "
        "`fct_indicator_provenance` views, the `int_*_indicators_traced` views and the tests on "
        "them (dbt's run_results.json); the target is that share over the rest of the load.",
        f"- **history**: re-running one x{args.history_scale} month (same files: ingestion "
        f"`unchanged`, then dbt for the month, and the publication of the whole file) in a "
        f"warehouse holding {min(args.history)} and {max(args.history)} months of that scale.",
        f"- **backfill**: `python -m orchestration.cli run` on {args.backfill} months "
        "(2021-01..2025-12) of sample-scale files of every source, into a new warehouse; one "
        "run (it takes minutes), set against the x1 month's floor times the months.",
        "- **start-up**: `dagster definitions validate -m orchestration.definitions` (a whole "
        "process), and the import time of `orchestration.definitions`.",
        "- **disclosure control**: of the month's load, the seconds its dbt build spent on "
        "`int_indicator_concentration`, `int_indicator_interior_cells`, "
        "`fct_indicator_disclosure` (the rules, the secondary cells and the linear programmes "
        "of the audit, in HiGHS) and the `held_figures_are_protected` test: the audit's cost "
        "per month (docs/disclosure-control.md).",
        "- **memory**: peak RSS of the largest process of the month's load (wait4).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny scale, one repeat, no history step (the smoke test)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument(
        "--steps",
        help="only these steps of docs/scale.md's, comma-separated (province, spark): their "
        "section of the page is written again, the rest kept",
    )
    args = parser.parse_args()
    args.backfill = 60
    if args.quick:
        args.repeats, args.ingest_rows, args.scales, args.history = 1, 300, [1], [2, 3]
        args.history_scale = 1
    else:
        args.ingest_rows, args.scales, args.history = 100_000, [1, 100], [12, 60]
        args.history_scale = 100
    root = Path(os.environ.get("PSW_BENCH_DIR") or tempfile.mkdtemp(prefix="psw-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    if args.steps:
        beyond_one_machine(root, args, args.steps.split(","))
        return
    started = time.perf_counter()
    steps = [
        ("ingest", lambda: bench_ingest(root, args.ingest_rows, args.repeats)),
        ("start-up", lambda: bench_startup(args.repeats)),
        ("month", lambda: bench_month(root, args.scales, args.repeats)),
        ("history", lambda: bench_history(root, args.history, args.repeats, args.history_scale)),
        ("backfill", lambda: bench_backfill(root, args.backfill)),
    ]
    if args.quick:  # the smoke test's run: every kind of step but history and backfill
        steps = steps[:3]
    figures = run_steps(steps)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(figures, args, time.perf_counter() - started))
    if not args.quick:
        beyond_one_machine(root, args, ["province", "spark"])
    print(f"[bench] written {args.out}")


def run_steps(steps) -> dict[str, Figure]:
    """Each (name, step) in turn, its figures printed as they come; all of them."""
    figures: dict[str, Figure] = {}
    for name, step in steps:
        print(f"[bench] {name} …", flush=True)
        new = step()
        figures |= new
        for figure in new.values():
            print(f"  {figure.name}: {figure.median:.2f} {figure.unit}", flush=True)
    return figures


def beyond_one_machine(root: Path, args, steps: list[str]) -> None:
    """docs/scale.md's figures (bench/scale.py): their own section of the page."""
    import scale

    known = {
        "province": lambda: scale.bench_province(root),
        "spark": lambda: scale.bench_spark(root, [10, 100], args.repeats),
    }
    figures = run_steps([(name, known[name]) for name in steps])
    when = f"on {dt.date.today().isoformat()} ({machine()})"
    scale.write_section(args.out, scale.section(figures, when))


if __name__ == "__main__":
    main()
