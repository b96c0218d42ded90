"""The same dbt models on Spark (docs/scale.md): the raw layer as Parquet, and dbt with the
`spark` target (profiles.yml: dbt-spark's in-process `session` method, local[2]).

  python -m orchestration.lib.dbt.spark export WAREHOUSE.duckdb   # raw.* to $PSW_SPARK_HOME/raw
  python -m orchestration.lib.dbt.spark build [dbt args]           # dbt build --target spark
  python -m orchestration.lib.dbt.spark build --dump DIR [dbt args]  # then each marts and
        # release relation (tables and views) as Parquet, DIR/<schema>.<name>, to compare

Runs in the environment `make test-spark` makes (.venv-spark: pyspark, dbt-spark). dbt-spark
runs Python models only on Databricks (a job or an all-purpose cluster); this entry adds the
`session` submission, which runs a Python model's code in the build's own SparkSession, so
fct_indicator_disclosure (disclosure control and its audit) builds on Spark too. It is the one
place that touches dbt-spark's adapter class (dbt-spark is pinned below 1.12 in pyproject.toml).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import duckdb

from orchestration.lib.settings import DBT_PROJECT_DIR

SPARK_HOME_DEFAULT = Path("warehouse") / "spark"


def spark_home() -> Path:
    """$PSW_SPARK_HOME: the Spark build's warehouse, metastore and raw Parquet files."""
    return Path(os.environ.get("PSW_SPARK_HOME") or SPARK_HOME_DEFAULT).resolve()


def export_raw(warehouse: Path, home: Path) -> dict[str, int]:
    """Every table of the DuckDB warehouse's raw schema as a folder of Parquet, home/raw/<table>
    (the Spark target's sources); the rows of each."""
    rows: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            folder = home / "raw" / table
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob("*.parquet"):
                stale.unlink()
            con.execute(
                f"copy (select * from raw.\"{table}\") to '{folder / 'part-0.parquet'}' "
                "(format parquet)"
            )
            rows[table] = con.execute(f'select count(*) from raw."{table}"').fetchone()[0]
    return rows


def duckdb_from_parquet(home: Path, database: Path) -> None:
    """A DuckDB file whose raw schema holds the Parquet raw layer (home/raw/<table>): the
    same sources for a DuckDB build of the models as for the Spark one."""
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists raw")
        for folder in sorted((home / "raw").iterdir()):
            con.execute(
                f'create or replace table raw."{folder.name}" as '
                f"select * from read_parquet('{folder}/*.parquet')"
            )


def dump_relations(out: Path, schemas: tuple[str, ...] = ("marts", "release")) -> list[str]:
    """Every table and view of `schemas` in the build's SparkSession, as Parquet folders
    out/<schema>.<name>; their names."""
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    written = []
    for schema in schemas:
        for table in session.catalog.listTables(schema):
            if table.tableType == "TEMPORARY":
                continue
            name = f"{schema}.{table.name}"
            session.table(name).write.mode("overwrite").parquet(str(out / name))
            written.append(name)
    return written


class SessionPythonJob:
    """dbt-spark's missing `session` submission: the compiled Python model (its code, then
    dbt-spark's own lines that write the returned frame as the table) run in this process's
    SparkSession, the one dbt's SQL runs in."""

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.name = parsed_model.get("alias") or parsed_model.get("name", "model")

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
        exec(compile(compiled_code, f"<dbt model {self.name}>", "exec"), {"spark": session})


def with_session_python_models() -> None:
    from dbt.adapters.spark.impl import SparkAdapter

    helpers = {"session": SessionPythonJob}
    SparkAdapter.python_submission_helpers = property(lambda self: helpers)
    SparkAdapter.default_python_submission_method = property(lambda self: "session")
    SparkAdapter.generate_python_submission_response = lambda self, result: _adapter_response()


def _adapter_response():
    from dbt.adapters.contracts.connection import AdapterResponse

    return AdapterResponse(_message="OK")


def dbt_on_spark(args: list[str]) -> bool:
    """`dbt <args> --target spark` in this process; whether it succeeded."""
    from dbt.cli.main import dbtRunner

    with_session_python_models()
    result = dbtRunner().invoke(
        [
            *args,
            "--target",
            "spark",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ]
    )
    return bool(result.success)


def main(argv: list[str]) -> int:
    if argv[:1] == ["export"] and len(argv) == 2:
        for table, count in export_raw(Path(argv[1]), spark_home()).items():
            print(f"raw.{table}: {count} rows")
        return 0
    if not argv:
        print(__doc__)
        return 2
    os.environ.setdefault("PSW_SPARK_HOME", str(spark_home()))
    dump = None
    if "--dump" in argv:
        at = argv.index("--dump")
        dump, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2 :]
    if not dbt_on_spark(argv):
        return 1
    if dump is not None:
        print(f"{len(dump_relations(dump))} relations written to {dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
