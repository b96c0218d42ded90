"""A district ten times the samples (4,500 enterprises, 200 projects, May and June), built by
the same dbt project on Spark and on DuckDB (tests/spark/parity.py): the seeds and models on
Spark (their tests run in the samples' build), every relation of the marts and the release the
same. Runs in `make test-spark`."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest
from conftest import RAW

pytest.importorskip("pyspark", reason="pyspark is in .venv-spark only: `make test-spark`")
if shutil.which("java") is None:
    pytest.skip(
        "no Java: `make test-spark` installs openjdk-17-jre-headless where apt can",
        allow_module_level=True,
    )

from parity import build_both, differences, duckdb_relations, spark_relations  # noqa: E402

X10 = {"months": "2025-05..2025-06", "enterprises": 4500, "projects": 200}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    home = tmp_path_factory.mktemp("x10_on_spark")
    subprocess.run(
        [sys.executable, str(RAW / "_generator" / "generate.py"), "--out", str(home / "raw")]
        + ["--months", X10["months"], "--enterprises", str(X10["enterprises"])]
        + ["--projects", str(X10["projects"])],
        check=True,
        capture_output=True,
    )
    return build_both(home / "raw", home, "x10", ("--exclude-resource-type", "test", "unit_test"))


def test_the_x10_district_is_ten_times_the_samples(builds):
    # a few enterprises enter the above-scale list during the year
    assert 2 * X10["enterprises"] <= builds.raw_rows["enterprises"] < 2.01 * X10["enterprises"]
    assert builds.raw_rows["projects"] == 2 * X10["projects"]


def test_every_relation_of_the_marts_and_the_release_is_the_same_on_spark(builds):
    with duckdb.connect(str(builds.reference), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        relations = duckdb_relations(con)
        assert spark_relations(builds) == relations
        found = [
            line
            for relation in sorted(relations)
            for line in differences(con, relation, builds.spark)
        ]
    assert not found, "\n".join(found)
