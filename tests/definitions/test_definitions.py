"""The code location: it loads, and its graph runs unbroken from each spreadsheet to the
indicators, with an owner, a group and a description on every asset."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DBT_DIR, REPO

from orchestration.definitions import build_definitions
from orchestration.lib.delivery.sources import SOURCES

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.txt"
GROUPS = {
    "raw_files",
    "ingest",
    "reference",
    "staging",
    "intermediate",
    "core",
    "indicators",
    "history",
    "provenance",
    "disclosure",
    "published",
    "release",
    "reports",
}
INDICATORS = ("fct_indicator_value",)


@pytest.fixture(scope="module")
def graph():
    return build_definitions().resolve_asset_graph()


def describe(graph) -> str:
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        deps = ", ".join(sorted(p.to_user_string() for p in node.parent_keys))
        lines.append(
            f"{key.to_user_string()} | {node.group_name} | {','.join(node.owners)} | {deps}"
        )
    return "\n".join(lines) + "\n"


def test_code_location_validates():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dagster"),
            "definitions",
            "validate",
            "-w",
            "workspace.yaml",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful" in result.stdout + result.stderr


def test_every_asset_has_owner_group_and_description(graph):
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.owners, key
        assert node.group_name in GROUPS, (key, node.group_name)
        assert (node.description or "").strip(), key
        assert "Raw SQL" not in node.description and "```" not in node.description, key


def test_every_model_is_downstream_of_the_ingestion_of_its_sources(graph, dbt_manifest):
    manifest = json.loads(dbt_manifest.read_text())
    nodes = manifest["nodes"]

    def sources_of(unique_id: str, seen=None) -> set[str]:
        seen = set() if seen is None else seen
        found = set()
        for dep in nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", []):
            if dep.startswith("source."):
                found.add(dep.split(".")[-1])
            elif dep not in seen:
                seen.add(dep)
                found |= sources_of(dep, seen)
        return found

    models = [n for n in nodes.values() if n["resource_type"] == "model"]
    assert len(models) >= 25
    for model in models:
        key = next(k for k in graph.get_all_asset_keys() if k.path[-1] == model["name"])
        ancestors = _ancestors(graph, key)
        tables = sources_of(model["unique_id"])
        expected = {f"raw/{table}" for table in tables}
        assert expected <= ancestors, (model["name"], expected - ancestors)
        files = {f"raw_files/{SOURCE_OF_TABLE[t]}" for t in tables if t in SOURCE_OF_TABLE}
        assert files <= ancestors, (model["name"], files - ancestors)

    indicator_ancestors = _ancestors(
        graph, next(k for k in graph.get_all_asset_keys() if k.path[-1] == "fct_indicator_value")
    )
    for source in SOURCES:
        assert f"raw_files/{source}" in indicator_ancestors


# each raw table -> the source whose file fills it (a file of several sheets fills several)
SOURCE_OF_TABLE = {sheet.name: s.name for s in SOURCES.values() for sheet in s.sheets}


def _ancestors(graph, key) -> set[str]:
    found, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent.to_user_string() not in found:
                found.add(parent.to_user_string())
                todo.append(parent)
    return found


def test_owners_follow_the_contract(graph):
    owners = {k.to_user_string(): graph.get(k).owners for k in graph.get_all_asset_keys()}
    for name, source in SOURCES.items():
        for sheet in source.sheets:
            assert owners[f"raw/{sheet.name}"] == [source.owner]
        assert owners[f"raw_files/{name}"] == [source.owner]
    assert owners["marts/fct_indicator_value"] == ["team:psw-analytics"]
    assert owners["marts/dim_board"] == ["team:psw-analytics"]
    assert owners["staging/stg_enterprises__revenue_reports"] == ["team:tjj"]
    assert owners["marts/fct_project_progress"] == ["team:fgj-projects"]


def test_dbt_tests_are_asset_checks_with_short_names_and_descriptions(graph, dbt_manifest):
    specs = {
        (spec.asset_key.to_user_string(), spec.name): spec
        for assets in graph.assets_defs
        for spec in assets.check_specs
    }
    tests = [
        node
        for node in json.loads(dbt_manifest.read_text())["nodes"].values()
        if node["resource_type"] == "test"
    ]
    dbt_checks = [s for s in specs.values() if "dagster_dbt/unique_id" in s.metadata]
    assert len(dbt_checks) == len(tests) > 100
    # the columns a model always fills: one check, naming them all
    assert specs["marts/fct_indicator_value", "not_null"].description == (
        "indicator_code, period, scope_type, scope_code, value, unit 均不为空 / none of "
        "indicator_code, period, scope_type, scope_code, value, unit is ever empty"
    )
    assert specs["marts/fct_indicator_value", "unique_key"].description.startswith("每个 (")
    relationship = specs["marts/fct_project_progress", "relationships__board_code"]
    assert relationship.description == (
        "board_code 均见于 dim_board.board_code / every board_code is a board_code of dim_board"
    )
    for (asset, name), spec in specs.items():
        assert len(name) <= 40, (asset, name)
        chinese, _, english = (spec.description or "").partition(" / ")
        assert re.search(r"[\u4e00-\u9fff]", chinese) and english, (asset, name)


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def test_no_dbt_yaml_gives_a_key_twice():
    """YAML keeps the last of two equal keys and dbt only warns: a model's second
    `data_tests:` silently dropped the tests of its first."""
    files = sorted(DBT_DIR.glob("*.yml")) + sorted(
        path
        for folder in ("models", "seeds", "macros", "tests")
        for path in (DBT_DIR / folder).rglob("*.yml")
    )
    assert len(files) > 10
    for path in files:
        with path.open(encoding="utf-8") as stream:  # an error names the file, line and key
            yaml.load(stream, Loader=_StrictLoader)


def test_asset_graph_matches_the_reviewed_snapshot(graph):
    """A lineage change is a reviewed diff: PSW_UPDATE_SNAPSHOTS=1 pytest rewrites the file."""
    current = describe(graph)
    if os.environ.get("PSW_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(current)
    assert SNAPSHOT.read_text() == current
    assert DBT_DIR.exists()


def test_the_dbt_resource_knows_its_dbt_without_running_it():
    """dagster-dbt runs `dbt --version` in a subprocess before each build (seconds of
    imports); psw's resource reads the version of the dbt-core installed beside it."""
    import importlib.metadata

    from orchestration.defs.dbt.project import PswDbtCliResource

    dbt = build_definitions().resources["dbt"]
    assert isinstance(dbt, PswDbtCliResource)
    assert str(dbt._cli_version) == importlib.metadata.version("dbt-core")


def test_the_kept_dbt_parses_are_replaced_whole_and_bounded(tmp_path):
    import time

    from orchestration.lib.dbt.parse import PARSE_STATES_KEPT, keep_parse_state

    kept = tmp_path / "partial_parse"
    for i in range(PARSE_STATES_KEPT + 3):
        parsed = tmp_path / f"build{i}" / "partial_parse.msgpack"
        parsed.parent.mkdir()
        parsed.write_bytes(f"parse {i}".encode())
        keep_parse_state(parsed, kept / f"warehouse{i % (PARSE_STATES_KEPT + 2)}.msgpack")
        time.sleep(0.01)  # distinct modification times
    states = sorted(path.name for path in kept.iterdir())
    assert len(states) == PARSE_STATES_KEPT  # the least recently built warehouses' went
    assert "warehouse0.msgpack" in states  # built again last: replaced, and kept
    assert (kept / "warehouse0.msgpack").read_bytes() == f"parse {PARSE_STATES_KEPT + 2}".encode()
    assert "warehouse1.msgpack" not in states and "warehouse2.msgpack" not in states
    keep_parse_state(tmp_path / "no build" / "partial_parse.msgpack", kept / "x.msgpack")
    assert not (kept / "x.msgpack").exists()  # dbt stopped before it parsed: nothing kept


def parses_nothing_again(parse_state: Path, published: Path, scratch: Path) -> bool:
    """Whether dbt, given `parse_state` as a build of the warehouse `published` is given it
    (the build's environment names the resolved path), takes it whole."""
    target = scratch / "build_target"
    target.mkdir()
    shutil.copyfile(parse_state, target / "partial_parse.msgpack")  # as assets._build does
    parse = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--log-level", "debug"],
        cwd=DBT_DIR,
        env={
            **os.environ,
            "PSW_WAREHOUSE_PATH": str(published),
            "DBT_PROFILES_DIR": str(DBT_DIR),
            "DBT_TARGET_PATH": str(target),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert parse.returncode == 0, parse.stdout + parse.stderr
    return "Nothing changed, skipping partial parsing" in parse.stdout


def test_a_new_warehouse_is_parsed_while_the_ingestion_runs(tmp_path, monkeypatch):
    """`make run` into a warehouse no build has parsed: `dbt parse` runs beside the ingestion,
    and the warehouse's build starts from its parse (it parses no file again). The build's dbt
    gets the resolved path (build.build_environment); `make run` exports a relative one."""
    from orchestration.lib.dbt.parse import parse_ahead, parse_state_path

    published = tmp_path / "warehouse" / "psw.duckdb"
    monkeypatch.setenv("PSW_WAREHOUSE_PATH", "warehouse/psw.duckdb")  # as the Makefile has it
    kept = parse_state_path(str(published) + ".work")
    assert not kept.exists()
    with parse_ahead(published, tmp_path / "logs" / "dbt_parse.log"):
        assert not kept.exists()  # the ingestion runs here, beside the parse
    assert kept.exists()
    assert not published.parent.exists()  # the parse opened no database
    state = tmp_path / "kept.msgpack"
    shutil.move(kept, state)  # the build starts without it: its parse is the one given
    assert parses_nothing_again(state, published, tmp_path)


def test_make_prepares_the_parse_the_default_warehouses_first_build_takes(tmp_path):
    """A run launched from the UI has no parse ahead: the first build of a warehouse starts
    from `make prepare`'s parse, made for the resolved default path the build's dbt gets."""
    from orchestration.defs.dbt.project import psw_dbt_project
    from orchestration.lib import settings

    prepared = psw_dbt_project().project_dir / "target" / "dagster" / "partial_parse.msgpack"
    assert parses_nothing_again(prepared, settings.warehouse_path(), tmp_path)


def test_a_stopped_make_run_stops_the_parse_and_keeps_nothing(tmp_path, monkeypatch):
    from orchestration.lib.dbt.parse import parse_ahead, parse_state_path
    from orchestration.lib.publishing import lock

    monkeypatch.setattr(lock, "stop_requested", lambda: True)
    with parse_ahead(tmp_path / "psw.duckdb", tmp_path / "dbt_parse.log"):
        pass
    assert not parse_state_path(str(tmp_path / "psw.duckdb.work")).exists()


def test_other_runs_dbt_folders_go_once_settled_and_this_runs_stay(tmp_path):
    """A concurrent run (on another warehouse) reads its folder's run results right after its
    dbt finished: a prune must leave that folder alone."""
    import os
    import time

    from orchestration.lib.dbt.targets import SETTLED_SECONDS, prune_target_folders

    now = time.time()

    def folder(name: str, finished_ago: float | None, made_ago: float = 0) -> Path:
        path = tmp_path / (name if name.startswith("parse-ahead-") else f"psw_dbt_models-{name}")
        path.mkdir()
        if finished_ago is not None:
            (path / "run_results.json").write_text("{}")
            os.utime(path / "run_results.json", (now - finished_ago, now - finished_ago))
        os.utime(path, (now - made_ago, now - made_ago))
        return path

    this_run = folder("abcdef0-1", finished_ago=2 * SETTLED_SECONDS)
    settled = folder("1111111-1", finished_ago=2 * SETTLED_SECONDS)
    just_finished = folder("2222222-1", finished_ago=5)
    running = folder("3333333-1", finished_ago=None)
    abandoned = folder("4444444-1", finished_ago=None, made_ago=2 * 24 * 3600)
    parsing = folder("parse-ahead-5555", finished_ago=None)
    parse_of_a_killed_run = folder("parse-ahead-6666", finished_ago=None, made_ago=2 * 24 * 3600)
    prune_target_folders(tmp_path, "abcdef0-the-run-id")
    assert this_run.exists() and just_finished.exists() and running.exists() and parsing.exists()
    assert not settled.exists() and not abandoned.exists()
    assert not parse_of_a_killed_run.exists()
