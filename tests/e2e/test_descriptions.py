"""The built warehouse explains itself: every model and column described in Chinese and English
(dbt's YAML, DuckDB's comments), and `make docs` builds dbt's and GX's sites from it."""

import json
import os
import re
import subprocess
import sys

from conftest import REPO

from orchestration.lib.loading.tables import comments


def test_every_table_and_column_is_described_in_chinese_and_english(dbt_manifest, make_run):
    import duckdb

    def bilingual(text: str) -> bool:
        return bool(re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]", text))

    manifest = json.loads(dbt_manifest.read_text())
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    with duckdb.connect(str(make_run["warehouse"]), read_only=True) as conn:
        for node in nodes:
            assert bilingual(node["description"]), node["name"]
            built = {
                c
                for (c,) in conn.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [node["schema"], node["name"]],
                ).fetchall()
            }
            assert built, node["name"]
            assert built <= set(node["columns"]), (node["name"], built - set(node["columns"]))
            for name, column in node["columns"].items():
                assert bilingual(column.get("description", "")), (node["name"], name)


def test_every_relation_and_column_of_raw_and_marts_explains_itself(warehouse, dbt_manifest):
    """COMMENT ON from dbt's descriptions (persist_docs) and the raw tables' declarations:
    any DuckDB client reads what a relation and a column hold, in Chinese and in English."""

    def bilingual(text):
        chinese, _, english = (text or "").partition(" / ")
        return bool(re.search(r"[\u4e00-\u9fff]", chinese) and re.search(r"[A-Za-z]{3,}", english))

    relations = dict(
        (
            ((s, t), c)
            for s, t, c in warehouse.execute(
                "select schema_name, table_name, comment from duckdb_tables() union all "
                "select schema_name, view_name, comment from duckdb_views() where not internal"
            ).fetchall()
        )
    )
    columns = {
        (s, t, c): x
        for s, t, c, x in warehouse.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns()"
        ).fetchall()
    }
    manifest = json.loads(dbt_manifest.read_text())
    marts = {
        node["alias"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    expected = {("marts", name) for name in marts} | {("raw", name) for name in comments()}
    assert {key for key in relations if key[0] in ("raw", "marts")} == expected
    assert [key for key in expected if not bilingual(relations[key])] == []
    in_scope = {key: text for key, text in columns.items() if key[0] in ("raw", "marts")}
    assert len(in_scope) > 400
    assert [(key, text) for key, text in in_scope.items() if not bilingual(text)] == []
    # the comments are the declarations', not merely some text
    for name, node in marts.items():
        for column, spec in node["columns"].items():
            assert columns["marts", name, column] == spec["description"], (name, column)
        assert relations["marts", name] == node["description"], name
    for table, (text, texts) in comments().items():
        assert relations["raw", table] == text
        for column, column_text in texts.items():
            assert columns["raw", table, column] == column_text, (table, column)


def test_make_docs_builds_both_sites(make_run):
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "docs"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PSW_WAREHOUSE_PATH": str(make_run["warehouse"])},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    dbt_site = make_run["warehouse"].parent / "docs" / "dbt" / "static_index.html"
    gx_site = make_run["warehouse"].parent / "data_docs" / "index.html"
    assert dbt_site.stat().st_size > 100_000
    catalog = json.loads((dbt_site.parent / "catalog.json").read_text())
    assert "model.psw.fct_indicator_value" in catalog["nodes"]  # read from the warehouse
    assert "validations" in gx_site.read_text() or (gx_site.parent / "validations").is_dir()
