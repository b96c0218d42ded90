"""What was published when (issue 12): the sample loaded, then a correction of March that
changes one enterprise's revenue and drops another. The raw layer keeps both versions,
the indicator history answers as of any time, the revision table lists exactly the values
the correction changed, and loading the correction again changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest
from conftest import RAW, copy_of_make_run, data_fingerprints, run_cli, table_fingerprints
from sheets import data_rows, find_col, find_row, variant
from sheets import number as cell_number

from orchestration.lib.report.data import load_report

STEM = "规上生产性服务业企业月报_"
SUMMED = (
    "本月营业收入",
    "1-本月营业收入",
    "上年同期1-本月营业收入",
    "1-本月营业利润",
    "上年同期1-本月营业利润",
    "期末从业人员",
)
KEY = ("indicator_code", "period", "scope_type", "scope_code")


def number(cell) -> float:
    return float(str(cell if cell is not None else "").replace(",", "") or 0)


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


def raise_wujin_leasing(grid) -> None:
    """The city's March table corrected: the district's leasing and business services (L)
    growing 12 points faster than the city first said, far from psw's own figure (rule C6)."""
    row = find_row(grid, "武进区")
    _, group = find_col(grid, "租赁和商务服务业")
    grid[row][group + 1] = round(cell_number(grid[row][group + 1]) + 12, 1)


def indicator_values(conn, sql="select * from marts.fct_indicator_value") -> dict[tuple, float]:
    cursor = conn.execute(
        f"select indicator_code, period, scope_type, scope_code, value from ({sql})"
    )
    return {tuple(row[:4]): row[4] for row in cursor.fetchall()}


# the release cycle's clock in this module: 1 May 2025, when January to March are due (March
# on 15 April) and April is not (15 May)
NOW = dt.datetime(2025, 5, 1)


@pytest.fixture(scope="module")
def corrected(make_run, tmp_path_factory) -> dict:
    """`make run`'s warehouse, released as it stood on 1 May 2025 (January to April approved);
    then March's enterprises file corrected and loaded, twice; then March's new draft
    approved with `release approve`."""
    from orchestration.lib.release import draft, export, sdmx

    warehouse, sample, env = copy_of_make_run(make_run, tmp_path_factory.mktemp("vintages"))
    env["PSW_NOW"] = NOW.isoformat()
    drafts, release = warehouse.parent / "drafts", warehouse.parent / "release"
    draft.write_draft(warehouse, drafts, NOW)
    for month in ("2025-01", "2025-02", "2025-03", "2025-04"):
        draft.approve(drafts, month, "张三", NOW)
    export.publish(drafts, release, NOW, write_sdmx=sdmx.write_version)
    states_before = draft.month_states(drafts)
    with duckdb.connect(str(release / "psw_release.duckdb"), read_only=True) as conn:
        months_released = {
            table: sorted(m for (m,) in conn.execute(
                f"select distinct strftime(period, '%Y-%m') from release.{table}"
            ).fetchall())
            for (table,) in conn.execute(
                "select table_name from duckdb_columns() where schema_name = 'release' "
                "and column_name = 'period'"
            ).fetchall()
        }  # fmt: skip
        march_v1 = conn.execute(
            "select * from release.indicator_value where period = date '2025-03-01'"
        ).fetchall()
    embargoed_query = run_cli(
        "query",
        "select 'embargoed rows: ' || count(*) as said from release.indicator_value "
        "where period >= '2025-04-01'",
        env=env,
    )  # fmt: skip
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
    city = sample / "city" / "常州市各辖市区规上服务业主要指标_2025-03.xlsx"
    variant(city, city.with_stem(f"{city.stem}_更正"), raise_wujin_leasing)
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
    states_corrected = draft.month_states(drafts)
    env["PSW_REPORT_PDF"] = "1"  # the version released next goes out with its PDF too
    approved = run_cli("release", "approve", "2025-03", "--by", "李四", env=env)
    assert approved.returncode == 0, approved.stdout + approved.stderr
    return {
        "drafts": drafts,
        "release": release,
        "states_before": states_before,
        "months_released": months_released,
        "march_v1": march_v1,
        "embargoed_query": embargoed_query,
        "states_corrected": states_corrected,
        "approved": approved,
        "states_after": draft.month_states(drafts),
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


def test_the_citys_figure_far_from_psws_own_is_a_note_of_the_month(corrected):
    """Rule C6: the corrected March city table puts the district's L 12 points above what it
    said, and above psw's own figure by more than 5: a warning, in March's quality notes."""
    with duckdb.connect(str(corrected["warehouse"]), read_only=True) as conn:
        march = load_report(conn, "2025-03")
        own, city = conn.execute(
            "select own_yoy_pct, city_yoy_pct from marts.fct_city_own_figure_check "
            "where period = date '2025-03-01' and section_code = 'L'"
        ).fetchone()
        february = load_report(conn, "2025-02")
    notes = [n for n in march.quality_notes if "规则 C6" in n]
    assert len(notes) == 1 and "租赁和商务服务业" in notes[0]
    assert f"{city:.1f}%" in notes[0] and f"{own:.1f}%" in notes[0] and city - own > 5
    assert not any("规则 C6" in n for n in february.quality_notes)


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


# --- the release's versions (issue 29) ------------------------------------------------------


def test_a_month_whose_time_is_to_come_stays_a_draft_no_reader_sees(corrected):
    """On 1 May 2025 April is approved, but its time (15 May, 10:00) has not come: it is in
    no file of the release folder, and a query of the release finds none of it."""
    before = corrected["states_before"]
    assert [before[m].state for m in ("2025-01", "2025-02", "2025-03")] == ["released"] * 3
    assert before["2025-04"].state == "approved"
    assert "embargoed until 2025-05-15 10:00 Beijing time" in before["2025-04"].says(NOW)
    assert {before[m].state for m in ("2025-05", "2025-06", "2025-09")} == {"draft"}
    released = ["2025-01", "2025-02", "2025-03"]
    for table, months in corrected["months_released"].items():
        assert set(months) <= set(released), table  # (no revision yet: that table is empty)
    assert corrected["months_released"]["indicator_value"] == released
    query = corrected["embargoed_query"]
    assert query.returncode == 0 and "embargoed rows: 0 " in query.stdout, query.stdout
    folders = sorted(p.name for p in corrected["release"].iterdir() if p.is_dir())
    assert folders == ["2025-01", "2025-02", "2025-03"]


def test_an_approved_draft_needs_approving_again_after_a_correction(corrected):
    """April was approved; the correction of March changes April's year-to-date figures, so
    April is a draft again. March, released, waits as the draft of its version 2; January
    and February, whose figures did not change, stay released."""
    after = corrected["states_corrected"]
    assert (after["2025-04"].state, after["2025-04"].version) == ("draft", 1)
    assert after["2025-04"].fingerprint != corrected["states_before"]["2025-04"].fingerprint
    assert (after["2025-03"].state, after["2025-03"].version) == ("draft", 2)
    assert [after[m].state for m in ("2025-01", "2025-02")] == ["released", "released"]
    # loading the correction again changed no draft: one `prepared` line per change
    from orchestration.lib.release import register

    prepared = [
        e for e in register.read(corrected["drafts"])
        if e["event"] == "prepared" and e["month"] == "2025-03"
    ]  # fmt: skip
    assert len(prepared) == 2


def test_the_correction_goes_out_as_version_2_with_notes_naming_each_changed_figure(corrected):
    states = corrected["states_after"]
    assert (states["2025-03"].state, states["2025-03"].version) == ("released", 2)
    assert states["2025-03"].approved_by == "李四"
    assert "2025-03  released v2" in corrected["approved"].stdout
    assert states["2025-04"].state == "draft"  # approving March approved nothing else
    release = corrected["release"]
    with duckdb.connect(str(release / "psw_release.duckdb"), read_only=True) as conn:
        notes = conn.execute(
            "select indicator_code, scope_type, scope_code, previous_value, value, change "
            "from release.release_note where month_key = '2025-03' and version = 2"
        ).fetchall()
        current = conn.execute(
            "select indicator_code, scope_type, scope_code, value, conf_status "
            "from release.indicator_value where period = date '2025-03-01'"
        ).fetchall()
        versions = conn.execute(
            "select version, is_current, approved_by from release.release_version "
            "where month_key = '2025-03' order by version"
        ).fetchall()
    assert versions == [(1, False, "张三"), (2, True, "李四")]
    # the notes are exactly the released figures of March that differ between v1 and v2
    v1 = {tuple(r[:1] + r[2:4]): (r[4], r[8]) for r in corrected["march_v1"]}
    v2 = {tuple(r[:3]): (r[3], r[4]) for r in current}
    changed = {
        k for k in v1.keys() | v2.keys()
        if k not in v1 or k not in v2 or v1[k][1] != v2[k][1]
        or (v1[k][0] is None) != (v2[k][0] is None)
        or (v1[k][0] is not None and abs(v1[k][0] - v2[k][0]) > 1e-6)
    }  # fmt: skip
    assert changed and {tuple(n[:3]) for n in notes} == changed
    district = next(n for n in notes if n[:3] == ("ENT_REV_YTD", "district", "320412"))
    key = ("ENT_REV_YTD", dt.date(2025, 3, 1), "district", "320412")
    assert float(district[3]) == pytest.approx(corrected["before"][key])
    assert float(district[4]) == pytest.approx(corrected["after"][key])
    assert district[5] == "revised"
    csv = (release / "2025-03" / "v2" / "release_notes.csv").read_text(encoding="utf-8-sig")
    assert len(csv.strip().splitlines()) == len(notes) + 1 and "营业收入" in csv
    if shutil.which("soffice"):  # the version's report went out as PDF too, sealed with it
        manifest = json.loads((release / "2025-03" / "v2" / "release.json").read_text())
        pdfs = [name for name in manifest["files"] if name.endswith(".pdf")]
        assert pdfs == ["report/武进区生产性服务业运行分析_2025年3月.pdf"], manifest["files"]


def test_version_1_is_still_readable_as_it_went_out(corrected):
    release = corrected["release"]
    folder = release / "2025-03" / "v1"
    with duckdb.connect() as conn:
        kept = conn.execute(
            f"select * from read_parquet('{folder / 'indicator_value.parquet'}')"
        ).fetchall()
    assert sorted(map(repr, kept)) == sorted(map(repr, corrected["march_v1"]))
    with duckdb.connect(str(release / "psw_release.duckdb"), read_only=True) as conn:
        queried = conn.execute(
            "select * exclude (month_key, version) from release.indicator_value_version "
            "where month_key = '2025-03' and version = 1"
        ).fetchall()
    assert sorted(map(repr, queried)) == sorted(map(repr, corrected["march_v1"]))


def test_the_sdmx_of_version_2_marks_the_revised_observations(corrected):
    from test_release import sdmx_observations

    from orchestration.lib.release.sdmx import scope_id

    folder = corrected["release"] / "2025-03"
    with duckdb.connect(str(corrected["release"] / "psw_release.duckdb"), read_only=True) as c:
        revised = {
            (code, kind, scope_id(kind, scope), "2025-03")
            for code, kind, scope in c.execute(
                "select indicator_code, scope_type, scope_code from release.release_note "
                "where month_key = '2025-03' and version = 2 and change = 'revised'"
            ).fetchall()
        }
    v2, v2_csv = sdmx_observations(folder / "v2" / "sdmx")
    assert v2 == v2_csv
    assert revised and {k for k, (_, status, _) in v2.items() if status == "R"} == revised
    v1, _ = sdmx_observations(folder / "v1" / "sdmx")
    assert {status for _, status, _ in v1.values()} == {"A"}
    assert all(v1[k][0] != v2[k][0] for k in revised)


def test_the_approval_job_of_the_ui_approves_a_draft_and_refuses_a_released_month(
    corrected, monkeypatch
):
    """`approve_release`, the job the Dagster UI launches with its config: April (a draft
    since the correction) is approved and, its time to come, stays embargoed; March, released
    with these figures, is refused with the reason, and the register keeps the refusal."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.lib.release import draft, register

    monkeypatch.setenv("PSW_DRAFTS_DIR", str(corrected["drafts"]))
    monkeypatch.setenv("PSW_NOW", NOW.isoformat())
    job = defs.resolve_job_def("approve_release")

    def approve(month: str):
        config = {"ops": {"approve_draft": {"config": {"month": month, "by": "王五"}}}}
        return job.execute_in_process(
            run_config=config, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
        )

    result = approve("2025-04")
    assert result.success
    (observation,) = [
        e.event_specific_data.asset_observation
        for e in result.all_events
        if e.event_type_value == "ASSET_OBSERVATION"
    ]
    assert observation.asset_key == dg.AssetKey(["release", "draft"])
    assert observation.partition == "2025-04"
    april = draft.month_states(corrected["drafts"])["2025-04"]
    assert (april.state, april.approved_by) == ("approved", "王五")
    assert not april.due(NOW)
    assert not (corrected["release"] / "2025-04").exists()

    refused = approve("2025-03")
    assert not refused.success
    (failure,) = [e for e in refused.all_events if e.is_step_failure]
    assert "is released as v2 with these figures" in failure.step_failure_data.error.message
    last = register.read(corrected["drafts"])[-1]
    assert (last["event"], last["month"], last["by"]) == ("refused", "2025-03", "王五")
