"""The sample spreadsheets' warehouse, built by the same dbt project on Spark and on DuckDB
(tests/spark/parity.py): every dbt model, test and unit test passes on Spark, and every relation
of the marts and the release is the same, row for row. Runs in `make test-spark`."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import RAW

pytest.importorskip("pyspark", reason="pyspark is in .venv-spark only: `make test-spark`")
if shutil.which("java") is None:
    pytest.skip(
        "no Java: `make test-spark` installs openjdk-17-jre-headless where apt can",
        allow_module_level=True,
    )

from parity import (  # noqa: E402
    build_both,
    differences,
    duckdb_relations,
    spark_again,
    spark_relations,
)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    return build_both(RAW, tmp_path_factory.mktemp("samples_on_spark"), "samples")


def test_every_relation_of_the_marts_and_the_release_is_the_same_on_spark(builds):
    with duckdb.connect(str(builds.reference), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        relations = duckdb_relations(con)
        assert spark_relations(builds) == relations
        for relation in (
            "marts.fct_indicator_value",
            "marts.fct_indicator_value_history",
            "marts.fct_indicator_provenance",
            "marts.fct_indicator_disclosure",
            "release.rpt_headline_indicators",
        ):
            assert con.execute(f"select count(*) from {relation}").fetchone()[0] > 0, relation
        found = [
            line
            for relation in sorted(relations)
            for line in differences(con, relation, builds.spark)
        ]
    assert not found, "\n".join(found)


def test_the_indicator_table_on_spark_is_the_one_dagster_built_month_by_month(builds):
    with duckdb.connect(str(builds.warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        assert not differences(con, "marts.fct_indicator_value", builds.spark)


def test_a_window_of_months_built_again_on_spark_replaces_its_months(builds, tmp_path):
    """The incremental tables' Spark path: June to September built again over the first build
    (insert_overwrite of those months' partitions, no DELETE) leaves every table as DuckDB's:
    no month twice, none lost; the history records no change (nothing changed)."""
    out = tmp_path / "again"
    spark_again(
        builds,
        out,
        ("2025-06-01", "2026-01-01"),
        *("--select", "marts.core.facts", "fct_indicator_value", "fct_indicator_value_changes"),
        *("--exclude-resource-type", "test", "unit_test"),
    )
    with duckdb.connect(str(builds.reference), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        incremental = [
            relation for relation in duckdb_relations(con) if relation.startswith("marts.fct_")
        ]
        found = [line for relation in incremental for line in differences(con, relation, out)]
    assert "marts.fct_enterprise_monthly" in incremental
    assert not found, "\n".join(found)


def test_a_difference_is_found(builds, tmp_path):
    """The comparison can fail: one value moved by 1e-6 in a copy of Spark's indicator table."""
    changed = tmp_path / "marts.fct_indicator_value"
    changed.mkdir()
    spark = f"read_parquet('{builds.spark}/marts.fct_indicator_value/*.parquet')"
    with duckdb.connect(str(builds.reference), read_only=True) as con:
        con.execute(
            "copy (select * replace (if(row_number() over (order by indicator_code, period, "
            f"scope_type, scope_code) = 7, value + 1e-6, value) as value) from {spark}) "
            f"to '{changed}/part-0.parquet' (format parquet)"
        )
        found = differences(con, "marts.fct_indicator_value", tmp_path)
    assert len(found) == 1 and " value: DuckDB " in found[0], found
