"""A real Dagster run in-process: the monthly job (the schedule's) for February into an empty
warehouse."""

import dagster as dg
import duckdb
import pytest
from conftest import RAW


@pytest.fixture
def defs(tmp_path, monkeypatch):
    monkeypatch.setenv("PSW_RAW_DIR", str(RAW))
    monkeypatch.setenv("PSW_WAREHOUSE_PATH", str(tmp_path / "psw.duckdb"))
    from orchestration.definitions import build_definitions

    return build_definitions()


def materializations(result) -> dict:
    """Asset key -> metadata of each materialisation of a run."""
    out = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        out[materialization.asset_key.to_user_string()] = materialization.metadata
    return out


def test_monthly_job_loads_a_month(defs, tmp_path):
    """(Loading a month again changes nothing: test_pipeline's second `make run`; January is
    reported inside February: test_pipeline's warehouse of every month.)"""
    job = defs.resolve_job_def("monthly_load")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(partition_key="2025-02", instance=instance)
    assert result.success

    feb = materializations(result)
    assert feb["raw/enterprises"]["outcome"].value == "loaded"
    assert feb["raw/enterprises"]["dagster/row_count"].value == 450
    assert len(feb["raw/enterprises"]["sha256"].value) == 64
    assert feb["marts/fct_indicator_value"]["dagster/row_count"].value > 0
    assert "row_count_covers" not in feb["marts/fct_indicator_value"]  # a table: all its rows
    provenance = feb["marts/fct_indicator_provenance"]  # a view: the build's months
    assert provenance["row_count_covers"].value == "2025-02-01 <= period < 2026-01-01"

    assert (tmp_path / "reports" / "2025-02").is_dir()  # the job writes the month's report
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)

    with duckdb.connect(str(tmp_path / "psw.duckdb"), read_only=True) as conn:
        per_period = dict(
            conn.execute(
                "select period, count(*) filter (where indicator_code like 'ENT_%') "
                "from marts.fct_indicator_value group by period"
            ).fetchall()
        )
        log = conn.execute(
            "select source, month, outcome from raw.load_log order by started_at"
        ).fetchall()
        enterprises = conn.execute("select count(*) from raw.enterprises").fetchall()[0][0]
        traced = conn.execute("select count(*) from marts.fct_indicator_provenance").fetchall()
    assert provenance["dagster/row_count"].value == traced[0][0] > 0
    assert [str(p) for p in per_period] == ["2025-02-01"] and min(per_period.values()) > 0
    assert enterprises == 450
    assert ("enterprises", "2025-02", "loaded") in log
    assert not any(source == "enterprises" and month == "2025-01" for source, month, _ in log)


def test_a_views_row_count_is_of_the_builds_months_and_a_tables_of_all_its_rows():
    from orchestration.lib.dbt.build import row_count_sql

    window = {"PSW_MIN_MONTH": "2025-02-01", "PSW_MAX_MONTH": "2026-01-01"}
    with duckdb.connect() as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.t as select date '2025-01-01' + to_months(i) as period "
            "from range(3) r(i)"
        )
        conn.execute("create view marts.v as select * from marts.t")

        def count(name, materialized):
            node = {"schema": "marts", "alias": name, "config": {"materialized": materialized}}
            node["columns"] = {"period": {}}
            sql, covers = row_count_sql(node, window)
            return conn.execute(sql).fetchall()[0][0], covers

        assert count("t", "incremental") == (3, None)
        assert count("v", "view") == (2, "2025-02-01 <= period < 2026-01-01")
