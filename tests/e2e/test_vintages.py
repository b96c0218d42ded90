"""What was published when (issue 12): the sample loaded, then a correction of March that
changes one enterprise's revenue and drops another. The raw layer keeps both versions,
the indicator history answers as of any time, the revision table lists exactly the values
the correction changed, and loading the correction again changes nothing."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from conftest import RAW, copy_of_make_run, data_fingerprints, run_cli, table_fingerprints
from sheets import data_rows, find_col, find_row, variant

from orchestration.lib.report.data import load_report

STEM = "规上生产性服务业企业月报_"
SUMMED = (
    "本月营业收入",
    "1-本月营业收入",
    "上年同期1-本月营业收入",
    "1-本月营业利润",
    "期末从业人员",
)
KEY = ("indicator_code", "period", "scope_type", "scope_code")


def number(cell) -> float:
    return float(str(cell).replace(",", "") or 0)


def correct_march(grid) -> dict:
    """The first enterprise's revenue up by 1,000 千元 (the month's and the YTD figure), the
    second enterprise dropped; the 合计 row follows. Returns what changed."""
    rows = data_rows(grid, "统一社会信用代码")
    total = find_row(grid, "合计")
    _, code_col = find_col(grid, "统一社会信用代码")
    for header in ("本月营业收入", "1-本月营业收入"):
        _, c = find_col(grid, header)
        grid[rows[0]][c] = number(grid[rows[0]][c]) + 1000
        grid[total][c] = number(grid[total][c]) + 1000
    dropped = grid[rows[1]]
    for header in SUMMED:
        _, c = find_col(grid, header)
        grid[total][c] = number(grid[total][c]) - number(dropped[c])
    del grid[rows[1]]
    return {"raised": grid[rows[0]][code_col], "dropped": dropped[code_col]}


def indicator_values(conn, sql="select * from marts.fct_indicator_value") -> dict[tuple, float]:
    cursor = conn.execute(
        f"select indicator_code, period, scope_type, scope_code, value from ({sql})"
    )
    return {tuple(row[:4]): row[4] for row in cursor.fetchall()}


@pytest.fixture(scope="module")
def corrected(make_run, tmp_path_factory) -> dict:
    """`make run`'s warehouse, then March's enterprises file corrected and loaded, twice."""
    warehouse, sample, env = copy_of_make_run(make_run, tmp_path_factory.mktemp("vintages"))
    raw = sample / "enterprises"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        before = indicator_values(conn)
        first_published = conn.execute("select max(published_at) from raw.publications").fetchone()[
            0
        ]

    changed = {}
    variant(
        raw / f"{STEM}202503.xlsx",
        raw / f"{STEM}202503_更正.xlsx",
        lambda grid: changed.update(correct_march(grid)),
    )
    # only March is loaded again: the months after it in its year are rebuilt all the same
    second = run_cli("run", "--months", "2025-03", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        after = indicator_values(conn)
        second_published = conn.execute(
            "select min(published_at) from raw.publications where published_at > ?",
            [first_published],
        ).fetchone()[0]
    fingerprints = table_fingerprints(warehouse, schemas=("raw", "marts"))

    again = run_cli("run", "--months", "2025-03", env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    return {
        "env": env,
        "warehouse": warehouse,
        "before": before,
        "after": after,
        "changed": changed,
        "between": first_published + (second_published - first_published) / 2,
        "fingerprints": fingerprints,
        "again": again,
    }


def test_the_raw_layer_keeps_both_versions_of_the_month(corrected):
    with duckdb.connect(str(corrected["warehouse"]), read_only=True) as conn:
        versions = conn.execute(
            "select source_file, count(*), count(superseded_at), "
            "count(*) filter (where credit_code = ?) "
            "from raw.enterprises where month = '2025-03' group by all order by 1",
            [corrected["changed"]["dropped"]],
        ).fetchall()
    original = len(data_rows_of("202503"))
    assert versions == [
        (f"{STEM}202503.xlsx", original, original, 1),
        (f"{STEM}202503_更正.xlsx", original - 1, 0, 0),
    ]


def data_rows_of(month: str) -> list[int]:
    from sheets import read_grid

    _, grid = read_grid(RAW / "enterprises" / f"{STEM}{month}.xlsx")
    return data_rows(grid, "统一社会信用代码")


def test_the_correction_changes_march_and_the_months_after_it(corrected):
    before, after = corrected["before"], corrected["after"]
    march, april = dt.date(2025, 3, 1), dt.date(2025, 4, 1)
    district = ("district", "320412")
    assert after[("ENT_COUNT", march, *district)] == before[("ENT_COUNT", march, *district)] - 1
    # April's month revenue is its YTD minus March's: the corrected March changes it
    assert after[("ENT_REV_MONTH", april, *district)] != before[("ENT_REV_MONTH", april, *district)]
    assert all(k[1] != dt.date(2025, 2, 1) or after.get(k) == v for k, v in before.items())


def test_as_of_a_time_between_the_loads_gives_the_original_values(corrected):
    with duckdb.connect(str(corrected["warehouse"]), read_only=True) as conn:
        then = indicator_values(
            conn, f"select * from marts.indicator_value_as_of(timestamp '{corrected['between']}')"
        )
        now = indicator_values(
            conn, "select * from marts.indicator_value_as_of(timezone('UTC', now()))"
        )
    assert then == corrected["before"]
    assert now == corrected["after"]


def test_the_revision_table_lists_exactly_the_changed_values(corrected):
    before, after = corrected["before"], corrected["after"]
    assert set(after) <= set(before)  # nothing new: a value changed or went
    expected = {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v}
    with duckdb.connect(str(corrected["warehouse"]), read_only=True) as conn:
        rows = conn.execute(
            f"select {', '.join(KEY)}, first_value, current_value, revision, is_withdrawn "
            "from marts.fct_indicator_revision"
        ).fetchall()
    revised = {tuple(r[:4]): r[4:] for r in rows}
    assert set(revised) == set(expected)
    assert len(revised) >= 8  # March's district, board, section and category values, April's
    for key, (first, current) in expected.items():
        got_first, got_current, revision, withdrawn = revised[key]
        assert got_first == first and got_current == current, key
        assert withdrawn == (current is None)
        if current is not None:
            assert revision == pytest.approx(current - first), key


def test_loading_the_correction_again_changes_nothing(corrected):
    again = table_fingerprints(corrected["warehouse"], schemas=("raw", "marts"))
    assert data_fingerprints(again) == data_fingerprints(corrected["fingerprints"])
    assert "(unchanged)" in corrected["again"].stdout


def test_asof_prints_the_values_then_and_says_what_it_cannot_answer(corrected):
    env, between = corrected["env"], corrected["between"]
    march = corrected["before"][("ENT_REV_YTD", dt.date(2025, 3, 1), "district", "320412")]
    out = run_cli("asof", f"{between:%Y-%m-%d %H:%M:%S.%f}", "--indicator", "ENT_REV_YTD", env=env)
    assert out.returncode == 0, out.stderr
    line = next(
        x for x in out.stdout.splitlines() if x.startswith("ENT_REV_YTD  2025-03  district")
    )
    assert f"{march:,.1f}" in line
    assert all(
        x.startswith(("ENT_REV_YTD", "指标值", "indicator")) for x in out.stdout.splitlines()
    )

    unknown = run_cli("asof", "2025-07-10", "--indicator", "ENT_NOPE", env=env)
    assert unknown.returncode == 1 and "no indicator 'ENT_NOPE'" in unknown.stderr
    early = run_cli("asof", "2020-01-01", env=env)
    assert early.returncode == 1 and "nothing was published by 2020-01-01" in early.stderr
    bad = run_cli("asof", "10 July", env=env)
    assert bad.returncode == 2 and "is not a time" in bad.stderr


def test_the_report_lists_the_revised_figures_of_earlier_months(corrected):
    with duckdb.connect(str(corrected["warehouse"]), read_only=True) as conn:
        report = load_report(conn, "2025-04")
    table = report.tables["revisions"]
    assert {row["period_label_zh"] for row in table.rows} == {"2025年1-3月", "2025年3月"}
    district = next(
        r
        for r in table.rows
        if r["indicator_code"] == "ENT_REV_YTD" and r["scope_type"] == "district"
    )
    key = ("ENT_REV_YTD", dt.date(2025, 3, 1), "district", "320412")
    revision = corrected["after"][key] - corrected["before"][key]  # 万元
    assert district["display_revision"] == pytest.approx(revision / 10_000)  # 亿元
    assert any(note.startswith("修订：") for note in report.quality_notes)


def test_the_readme_examples_answer(corrected):
    from conftest import readme_queries

    zones, as_of, revisions = readme_queries(vintages=True)
    march_growth = {
        k: v for k, v in corrected["before"].items() if k[0] == "ENT_REV_YOY" and k[1].month == 3
    }
    with duckdb.connect(str(corrected["warehouse"]), read_only=True) as conn:
        conn.execute(zones).fetchall()  # no clusters here: it must run, it cannot answer
        then = conn.execute(
            as_of.replace("2025-07-10 04:00", str(corrected["between"])).replace(
                "2025-06-01", "2025-03-01"
            )
        ).fetchall()
        listed = conn.execute(revisions).fetchall()
    assert {(code, "2025-03", t, c): v for code, t, c, v, _ in then} == {
        (code, "2025-03", t, c): round(v, 1) for (code, _, t, c), v in march_growth.items()
    }
    expected = [k for k, v in corrected["before"].items() if corrected["after"].get(k) != v]
    assert len(listed) == len(expected)
