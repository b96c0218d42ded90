"""What a dbt build is given and what it leaves: its environment (the months and the
publication), the prepared manifest, the row count of each relation it built, and its run
results when it failed."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from orchestration.lib.settings import DBT_PREPARED_TARGET, DBT_PROJECT_DIR


def build_environment(
    start: dt.datetime, end: dt.datetime, run_id: str, published: str
) -> dict[str, str]:
    """What the run's dbt build reads from its environment (profiles.yml,
    macros/month_window.sql, macros/publication.sql): the warehouse, by the very path Dagster
    publishes (resolved: `~` and relative paths included), its publication (the run id), and
    its months [start, end) as the half-open window [PSW_MIN_MONTH, PSW_MAX_MONTH), carried on
    to the end of the last month's year: a month's figures feed the later months' of its year
    (the month's revenue is YTD minus last month's, the ledger counts 1-本月), so a corrected
    month rebuilds them too."""
    last_year = (end - dt.timedelta(days=1)).year
    return {
        "PSW_WAREHOUSE_PATH": published,
        "PSW_MIN_MONTH": start.strftime("%Y-%m-%d"),
        "PSW_MAX_MONTH": f"{last_year + 1}-01-01",
        "PSW_PUBLICATION_ID": run_id,
    }


MONTH_COLUMNS = ("period", "month_date", "wave_month_date")


def row_count_sql(node: Mapping[str, Any], window: Mapping[str, str]) -> tuple[str, str | None]:
    """The query that counts a built relation's rows, and which rows when not all of them.

    A table's rows are counted all (DuckDB keeps the count). A view is a query: counting all
    of it runs it over the whole history (the provenance view grows with every month loaded),
    so a view's count is of the build's months.
    """
    # schema.table, not the manifest's relation_name: that names the database file's catalog
    relation = f'"{node["schema"]}"."{node["alias"]}"'
    column = next((c for c in MONTH_COLUMNS if c in node.get("columns", {})), None)
    if node["config"].get("materialized") != "view" or column is None:
        return f"select count(*) from {relation}", None
    start, end = window["PSW_MIN_MONTH"], window["PSW_MAX_MONTH"]
    return (
        f"select count(*) from {relation} "
        f"where {column} >= date '{start}' and {column} < date '{end}'",
        f"{start} <= {column} < {end}",
    )


@contextlib.contextmanager
def environ(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@cache
def manifest() -> dict:
    """The prepared manifest, parsed once per process (read, never changed)."""
    return json.loads((DBT_PROJECT_DIR / DBT_PREPARED_TARGET / "manifest.json").read_text())


def run_results(invocation) -> dict:
    try:
        return invocation.get_artifact("run_results.json")
    except (OSError, ValueError):
        return {}  # dbt stopped before it ran anything


def failed_nodes(invocation) -> str:
    results = run_results(invocation).get("results", [])
    failed = [r["unique_id"].split(".")[-1] for r in results if r["status"] in ("fail", "error")]
    return ", ".join(failed[:10]) or "dbt exited with an error"
