"""One dbt project, two engines: what tests/spark builds and how it compares the two builds.

A district's spreadsheets are loaded by `make run`'s code into a DuckDB warehouse; its raw schema
goes out as Parquet (the Spark target's sources); `dbt build` runs on DuckDB (a fresh file whose
raw schema is that Parquet) and on Spark (an in-process SparkSession, local[2]), with the same
publication and build time; then every relation of the marts and the release (tables and views:
the indicator table, its history and provenance, the disclosure table, the report tables) is
compared row for row, numbers to 1e-9.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from conftest import DBT_DIR, REPO, run_cli

from orchestration.lib.dbt.spark import duckdb_from_parquet, export_raw

# both engines record the same publication at the same time (macros/cross_engine.sql, utc_now)
BUILD = {"PSW_BUILD_TIME": "2025-10-15 08:00:00", "PSW_PUBLICATION_ID": "parity-build"}
TOLERANCE = 1e-9


@dataclass
class Builds:
    warehouse: Path  # what Dagster's runs loaded and built, month by month
    reference: Path  # the DuckDB build from the Parquet raw layer
    spark: Path  # Spark's relations, written out as Parquet folders <schema>.<name>
    raw_rows: dict[str, int]
    seconds: dict[str, float]
    spark_home: Path


def build_both(raw: Path, home: Path, name: str, spark_args: tuple[str, ...] = ()) -> Builds:
    seconds = {}
    started = time.perf_counter()
    warehouse = home / "psw.duckdb"
    load = run_cli(
        "run",
        env={
            "PSW_RAW_DIR": str(raw),
            "PSW_WAREHOUSE_PATH": str(warehouse),
            "DAGSTER_HOME": str(home / "dagster_home"),
            "PSW_SAMPLE_SIGNOFF": "1",
        },
    )
    assert load.returncode == 0, load.stdout[-3000:] + load.stderr[-3000:]
    seconds["load"] = time.perf_counter() - started

    spark_home = home / "spark"
    rows = export_raw(warehouse, spark_home)
    reference = home / "duckdb_build.duckdb"
    duckdb_from_parquet(spark_home, reference)
    env = {**os.environ, **BUILD, "PSW_SPARK_HOME": str(spark_home)}
    started = time.perf_counter()
    duck = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", "."]
        + ["--target", "docs", "--target-path", f"target/parity-duckdb-{name}"],
        cwd=DBT_DIR,
        env={**env, "PSW_DOCS_DATABASE": str(reference)},
        capture_output=True,
        text=True,
    )
    assert duck.returncode == 0, duck.stdout[-4000:]
    seconds["dbt on DuckDB"] = time.perf_counter() - started
    out = home / "spark_relations"
    started = time.perf_counter()
    spark = subprocess.run(
        [sys.executable, "-m", "orchestration.lib.dbt.spark", "build", *spark_args]
        + ["--target-path", f"target/parity-spark-{name}", "--dump", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert spark.returncode == 0, spark.stdout[-6000:] + spark.stderr[-2000:]
    seconds["dbt on Spark"] = time.perf_counter() - started
    print(f"{name}: " + ", ".join(f"{step} {s:.0f} s" for step, s in seconds.items()))
    return Builds(warehouse, reference, out, rows, seconds, spark_home)


def spark_again(builds: Builds, out: Path, months: tuple[str, str], *dbt_args: str) -> None:
    """A second Spark build on the first one's tables, of the window of months [start, end)
    as Dagster gives a run's (PSW_MIN_MONTH, PSW_MAX_MONTH): the incremental models take
    their Spark path (insert_overwrite of the months' partitions); relations to `out`."""
    env = {
        **os.environ,
        **BUILD,
        "PSW_SPARK_HOME": str(builds.spark_home),
        "PSW_MIN_MONTH": months[0],
        "PSW_MAX_MONTH": months[1],
    }
    again = subprocess.run(
        [sys.executable, "-m", "orchestration.lib.dbt.spark", "build", *dbt_args]
        + ["--target-path", "target/parity-spark-again", "--dump", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stdout[-6000:] + again.stderr[-2000:]


def spark_relations(builds: Builds) -> set[str]:
    return {folder.name for folder in builds.spark.iterdir()}


def duckdb_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'release')"
        ).fetchall()
    }


def differences(
    con: duckdb.DuckDBPyConnection, relation: str, spark: Path, limit: int = 5
) -> list[str]:
    """How `relation` in DuckDB and Spark's copy of it differ: the columns (by name: Spark puts
    a partitioned table's month last), the rows, and up to `limit` values. Both sides are sorted
    on every column (numbers to 6 places, for the order only) and compared row by row: numbers
    to 1e-9 (relative, absolute below 1), everything else exactly."""
    source = f"read_parquet('{spark / relation}/*.parquet')"
    columns = con.execute(f"describe select * from {relation}").fetchall()
    names = [column[0] for column in columns]
    theirs = [column[0] for column in con.execute(f"describe select * from {source}").fetchall()]
    if sorted(theirs) != sorted(names):
        return [f"{relation}: columns {names} on DuckDB, {theirs} on Spark"]
    numeric = {
        name for name, kind, *_ in columns if kind in ("DOUBLE", "FLOAT") or "DECIMAL" in kind
    }
    order = ", ".join(
        f'round(cast("{name}" as double), 6)' if name in numeric else f'"{name}"' for name in names
    )
    typed = ", ".join(f'cast("{name}" as {kind}) as "{name}"' for name, kind, *_ in columns)
    checks = [
        f'a."{name}" is distinct from b."{name}"'
        + (
            f' and ((a."{name}" is null) != (b."{name}" is null) or abs(cast(a."{name}" as '
            f'double) - cast(b."{name}" as double)) > {TOLERANCE} * greatest(1, abs(cast(a."'
            f'{name}" as double))))'
            if name in numeric
            else ""
        )
        for name in names
    ]
    counts = con.execute(f"select (select count(*) from {relation}), count(*) from {source}")
    ours, spark_rows = counts.fetchone()
    if ours != spark_rows:
        return [f"{relation}: {ours} rows on DuckDB, {spark_rows} on Spark"]
    flags = ", ".join(f"({check}) as differs_{at}" for at, check in enumerate(checks))
    pairs = ", ".join(f'a."{name}", b."{name}"' for name in names)
    rows = con.execute(
        f"""
        with a as (select *, row_number() over (order by {order}) as row_ from {relation}),
        b as (
            select *, row_number() over (order by {order}) as row_
            from (select {typed} from {source})
        ),
        compared as (select a.row_, {pairs}, {flags} from a join b using (row_))
        select * from compared where {" or ".join(f"differs_{at}" for at in range(len(names)))}
        order by row_ limit {limit}
        """
    ).fetchall()
    found = []
    for row in rows:
        values, flagged = row[1 : 1 + 2 * len(names)], row[1 + 2 * len(names) :]
        found += [
            f"{relation} row {row[0]} {name}: DuckDB {values[2 * at]!r}, Spark "
            f"{values[2 * at + 1]!r}"
            for at, name in enumerate(names)
            if flagged[at]
        ]
    return found[:limit]
