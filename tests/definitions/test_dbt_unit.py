"""dbt's unit tests (the `unit_tests:` of the models' YAML), on an empty warehouse: `dbt build
--empty` creates every relation with no rows, so each unit test runs on its fixtures alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import DBT_DIR

from orchestration.lib.loading.writes import ensure_raw_schema


def test_every_dbt_unit_test_passes(tmp_path, dbt_manifest):
    database = tmp_path / "empty.duckdb"
    with duckdb.connect(str(database)) as conn:
        ensure_raw_schema(conn)
    target = tmp_path / "target"
    built = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--empty",
            "--exclude-resource-type",
            "test",  # the data tests need data; the unit tests are resource type unit_test
            "--target",
            "docs",
            "--target-path",
            str(target),
            "--profiles-dir",
            ".",
        ],
        cwd=DBT_DIR,
        env={**os.environ, "PSW_DOCS_DATABASE": str(database)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-3000:]
    declared = {
        unique_id
        for unique_id in json.loads(dbt_manifest.read_text())["unit_tests"]
        if unique_id.startswith("unit_test.psw.")
    }
    results = json.loads((target / "run_results.json").read_text())["results"]
    ran = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test")}
    assert len(declared) >= 7
    assert ran == dict.fromkeys(declared, "pass")
