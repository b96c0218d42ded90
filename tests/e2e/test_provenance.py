"""Where every number comes from (issue 12): each indicator value is rebuilt from its
contributions in `marts.fct_indicator_provenance`, every cell it cites is opened in its
spreadsheet with python-calamine and holds the number the provenance says, and `cli explain`
answers for every indicator of the catalogue, on the samples and on a scaled data set."""

from __future__ import annotations

import math
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from conftest import RAW, REPO, run_cli
from python_calamine import CalamineWorkbook

from orchestration.lib.provenance import explain as provenance

TOLERANCE = {"rel_tol": 1e-9, "abs_tol": 1e-6}


def rebuilt_values(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(key, value, rebuilt) for every indicator value, rebuilt from its contributions alone:
    a sum, Σ numerator ÷ Σ denominator × 100 plus any offset, or a rank on the values ranked."""
    rows = conn.execute(
        """
        select v.indicator_code, v.period, v.scope_type, v.scope_code, v.value,
               p.term, p.contribution, p.ranked_scope_code
        from marts.fct_indicator_value as v
        left join marts.fct_indicator_provenance as p
            using (indicator_code, period, scope_type, scope_code)
        """
    ).fetchall()
    terms: dict[tuple, dict] = {}
    for code, period, scope_type, scope_code, value, term, contribution, ranked in rows:
        key = (code, period, scope_type, scope_code)
        entry = terms.setdefault(key, {"value": value, "terms": defaultdict(list)})
        if term is not None:
            entry["terms"][term].append((contribution, ranked))
    out = []
    for key, entry in terms.items():
        parts = entry["terms"]
        total = {t: math.fsum(c for c, _ in parts[t]) for t in parts}
        if "ranked_on" in parts:
            share = {r: c for c, r in parts["ranked_on"]}
            spend = {r: c for c, r in parts.get("tie_break", ())}

            def place(s, share=share, spend=spend):
                return (share[s], spend.get(s, 0.0))

            # ties broken by the tie-break; what is still tied shares a place
            again = float(1 + sum(place(s) > place(key[3]) for s in share))
        elif "denominator" in parts:
            again = total.get("numerator", 0.0) / total["denominator"] * 100 + total.get(
                "offset", 0.0
            )
        else:
            again = total.get("sum", 0.0)  # a count or sum of nothing is zero
        out.append((key, entry["value"], again))
    return out


def number_in(cell) -> float:
    """A spreadsheet cell read as people read it: 12,345 / ３４５ / — / empty."""
    if cell is None or (isinstance(cell, str) and cell.strip() in ("", "—", "-", "－")):
        return 0.0
    if isinstance(cell, int | float):
        return float(cell)
    return float(unicodedata.normalize("NFKC", cell).replace(",", "").strip())


def cited_cells_hold_their_numbers(conn: duckdb.DuckDBPyConnection, raw_dir: Path) -> int:
    """Open every cell the provenance cites; return how many were checked."""
    cells = conn.execute(
        """
        select distinct source_file, sheet, cell, excel_row, raw_value, to_raw_factor,
               raw_table, cell_address
        from marts.fct_indicator_provenance
        where load_id is not null
        """
    ).fetchall()
    assert cells
    files = {path.name: path for path in raw_dir.rglob("*.xlsx")}
    sheets: dict[tuple[str, str], list[list]] = {}
    for source_file, sheet, cell, excel_row, raw_value, factor, _table, address in cells:
        assert address, f"no cell address for {source_file} row {excel_row}"
        if (source_file, sheet) not in sheets:
            book = CalamineWorkbook.from_path(str(files[source_file]))
            sheets[source_file, sheet] = book.get_sheet_by_name(sheet).to_python(
                skip_empty_area=False
            )
        grid = sheets[source_file, sheet]
        column = _column_index(cell.rstrip("0123456789"))
        value = grid[excel_row - 1][column] if column < len(grid[excel_row - 1]) else None
        if raw_value is None:  # a count cites the cell that names the row: it holds something
            assert str(value).strip(), address
        else:
            assert math.isclose(number_in(value) * factor, raw_value, **TOLERANCE), (
                address,
                value,
                factor,
                raw_value,
            )
    return len(cells)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def assert_every_value_rebuilds(conn: duckdb.DuckDBPyConnection) -> None:
    checked = rebuilt_values(conn)
    assert (
        len(checked) == conn.execute("select count(*) from marts.fct_indicator_value").fetchone()[0]
    )
    wrong = [(k, v, r) for k, v, r in checked if not math.isclose(v, r, **TOLERANCE)]
    assert not wrong, wrong[:10]


def test_every_indicator_value_rebuilds_from_its_contributions(warehouse):
    assert_every_value_rebuilds(warehouse)
    kinds = warehouse.execute(
        "select count(distinct indicator_code), count(distinct term) "
        "from marts.fct_indicator_provenance"
    ).fetchone()
    catalogue = warehouse.execute("select count(*) from marts.dim_indicator").fetchone()[0]
    assert kinds == (catalogue, 6)  # sum, numerator, denominator, offset, ranked_on, tie_break


def test_every_cited_cell_holds_the_number_the_provenance_says(warehouse):
    assert cited_cells_hold_their_numbers(warehouse, RAW) > 10_000


def test_explain_answers_for_every_indicator_of_the_catalogue(warehouse):
    values = warehouse.execute(
        "select indicator_code, strftime(max(period), '%Y-%m'), any_value(scope_type), "
        "any_value(scope_code) from marts.fct_indicator_value group by 1"
    ).fetchall()
    assert (
        len(values) == warehouse.execute("select count(*) from marts.dim_indicator").fetchone()[0]
    )
    for code, month, scope_type, scope_code in values:
        explained = provenance.explain(warehouse, code, month, (scope_type, scope_code))
        assert math.isclose(explained.rebuilt(), explained.value, **TOLERANCE), code
        text = provenance.render(explained)
        assert text.startswith(code) and "DO NOT" not in text, text


def test_cli_explain_prints_the_formula_and_the_cells(make_run, tmp_path):
    env = {"PSW_WAREHOUSE_PATH": str(make_run["warehouse"])}
    out = run_cli(
        "explain", "ENT_REV_YOY", "2025-06", "district", "--all", str(tmp_path / "all.csv"), env=env
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "= Σ numerator ÷ Σ denominator × 100 = " in text
    assert "规上生产性服务业企业月报_202506.xlsx!企业!" in text
    assert "they add up to the value" in text
    with duckdb.connect(str(make_run["warehouse"]), read_only=True) as conn:
        contributions = conn.execute(
            "select count(*) from marts.fct_indicator_provenance where indicator_code = "
            "'ENT_REV_YOY' and period = '2025-06-01' and scope_type = 'district'"
        ).fetchone()[0]
    lines = (tmp_path / "all.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == contributions + 1 and lines[0].startswith("indicator_code,period")

    named = run_cli("explain", "ENT_REV_YTD", "2025-06", "board", "湖塘镇", env=env)
    assert named.returncode == 0 and "(board HTZ)" in named.stdout, named.stderr
    for words, says in (
        (("ENT_NOPE", "2025-06"), "no indicator 'ENT_NOPE'; the codes are CITY_SVC_REV_YOY,"),
        (
            ("ENT_REV_YTD", "2025-01"),
            "ENT_REV_YTD has no value for 2025-01; the months it has: 2025-02..2025-09",
        ),
        (("ENT_REV_YTD", "2025-06", "board", "XXX"), "has no scope 'board XXX'; name one of:"),
        (("ENT_REV_YTD", "2025-06", "zone"), "has no scope 'zone'"),
    ):
        failed = run_cli("explain", *words, env=env)
        assert failed.returncode == 1 and says in failed.stderr, (words, failed.stderr)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory) -> Path:
    """Two months of a data set ten times the sample's enterprises and projects, loaded."""
    home = tmp_path_factory.mktemp("scaled")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "raw" / "_generator" / "generate.py"),
            "--out",
            str(home / "raw"),
            "--months",
            "2025-05..2025-06",
            "--enterprises",
            "4500",
            "--projects",
            "200",
        ],
        check=True,
        capture_output=True,
    )
    env = {
        "PSW_RAW_DIR": str(home / "raw"),
        "PSW_WAREHOUSE_PATH": str(home / "warehouse" / "psw.duckdb"),
        "DAGSTER_HOME": str(home / "dagster_home"),
    }
    out = run_cli("run", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    return home


def test_the_provenance_holds_on_a_scaled_data_set(scaled):
    with duckdb.connect(str(scaled / "warehouse" / "psw.duckdb"), read_only=True) as conn:
        assert (
            conn.execute("select count(*) from raw.enterprises where month = '2025-06'").fetchone()[
                0
            ]
            > 4000
        )
        assert_every_value_rebuilds(conn)
        assert cited_cells_hold_their_numbers(conn, scaled / "raw") > 50_000
