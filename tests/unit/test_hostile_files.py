"""Hostile but readable files: what the reader must read right, not merely reject.

The rejections (formulas without values, error cells, NaN, merged figures, bombs, hidden
sheets, ambiguous headers and files) run through the real ingestion job in
inprocess/test_bad_files.py; here the files that a careful reader gets right, on the real samples.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import RAW
from sheets import data_rows, find_col, find_row, number, read_grid, variant, with_openpyxl

from orchestration.lib.delivery.files import (
    AmbiguousDelivery,
    delivery_for,
    gone_files,
    missing_months,
    unplaced_files,
)
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.reading.sheet import SpreadsheetError, read_sheet

PROJECTS_06 = RAW / "projects" / "重点项目月报_2025-06.xlsx"
ZONES_06 = RAW / "zones" / "集聚区月报_2025年6月.xlsx"
ENTERPRISES_06 = RAW / "enterprises" / "规上生产性服务业企业月报_202506.xlsx"


def test_a_unit_in_the_merged_group_header_is_applied(tmp_path):
    """投资完成情况（亿元） above three columns with no unit of their own: 亿元, not 万元."""
    original = read_sheet(PROJECTS_06, SOURCES["projects"])

    def in_yi_yuan(grid):
        r, c = find_col(grid, "投资完成情况")
        grid[r][c] = "投资完成情况（亿元）"
        for row in [*data_rows(grid, "项目编号"), find_row(grid, "合计")]:
            for col in (c, c + 1, c + 2):
                value = grid[row][col]
                if value not in (None, "", "—", "-"):
                    grid[row][col] = number(value) / 10_000

    parsed = read_sheet(
        variant(PROJECTS_06, tmp_path / PROJECTS_06.name, in_yi_yuan), SOURCES["projects"]
    )
    assert parsed.units["invested_ytd_wan_yuan"] == "亿元"
    for column in ("invested_month_wan_yuan", "invested_ytd_wan_yuan"):
        assert parsed.rows[column].tolist() == pytest.approx(original.rows[column].tolist())
    assert parsed.total["invested_ytd_wan_yuan"] == pytest.approx(
        original.total["invested_ytd_wan_yuan"]
    )


def test_two_groups_with_the_same_sub_headers_are_told_apart(tmp_path):
    """本年 / 上年同期 above two columns both headed 1-本月营业收入（千元）."""
    original = read_sheet(ENTERPRISES_06, SOURCES["enterprises"])

    def grouped(grid):
        header_row, ytd = find_col(grid, "1-本月营业收入")
        _, prior = find_col(grid, "上年同期1-本月营业收入")
        grid.insert(header_row, [None] * len(grid[header_row]))
        _, profit = find_col(grid, "1-本月营业利润")
        # a label stands over the columns to its right until the next: 本年 again over profit
        grid[header_row][ytd], grid[header_row][prior] = "本年", "上年同期"
        grid[header_row][profit] = "本年"
        grid[header_row + 1][prior] = grid[header_row + 1][ytd]

    parsed = read_sheet(
        variant(ENTERPRISES_06, tmp_path / ENTERPRISES_06.name, grouped), SOURCES["enterprises"]
    )
    for column in ("revenue_ytd_wan_yuan", "revenue_ytd_prior_year_wan_yuan"):
        assert parsed.rows[column].tolist() == pytest.approx(
            original.rows[column].tolist(), nan_ok=True
        )
    assert parsed.headers["revenue_ytd_prior_year_wan_yuan"].startswith("上年同期")


def test_invisible_characters_are_removed_from_keys_and_headers(tmp_path):
    def spoil(grid):
        r, c = find_col(grid, "项目编号")
        row = data_rows(grid, "项目编号")[0]
        grid[r][c] = "项目\u200b编号"
        grid[row][c] = f"\ufeff{grid[row][c]}\u200b\u00a0"
        _, board = find_col(grid, "所属板块")
        grid[row][board] = f"{grid[row][board]}\u2060"

    parsed = read_sheet(
        variant(PROJECTS_06, tmp_path / PROJECTS_06.name, spoil), SOURCES["projects"]
    )
    original = read_sheet(PROJECTS_06, SOURCES["projects"])
    assert parsed.rows["project_id"].tolist() == original.rows["project_id"].tolist()
    assert parsed.rows["board"].tolist() == original.rows["board"].tolist()


def test_a_name_merged_over_rows_fills_them_as_excel_shows_it(tmp_path):
    _, grid = read_grid(PROJECTS_06)
    rows = data_rows(grid, "项目编号")[:3]
    _, col = find_col(grid, "所属板块")
    board = grid[rows[0]][col]

    def same_board(g):
        for r in rows:
            g[r][col] = board

    path = variant(PROJECTS_06, tmp_path / PROJECTS_06.name, same_board)

    def merge(workbook):
        sheet = workbook.worksheets[0]
        sheet.merge_cells(
            start_row=rows[0] + 1, start_column=col + 1, end_row=rows[2] + 1, end_column=col + 1
        )

    with_openpyxl(path, merge)
    assert read_grid(path)[1][rows[1]][col] in (None, "")  # only the first cell holds it
    parsed = read_sheet(path, SOURCES["projects"])
    assert parsed.rows["board"].tolist()[:3] == [board.strip()] * 3


def test_a_hidden_stale_sheet_is_not_read_beside_its_visible_revision(tmp_path):
    def stale_beside_revised(workbook):
        revised = workbook.worksheets[0]
        stale = workbook.copy_worksheet(revised)
        revised.title, stale.title = "集聚区（修订）", "集聚区"
        _, col = find_col(read_grid(ZONES_06)[1], "从业人员")
        row = find_row(read_grid(ZONES_06)[1], "科教城")
        stale.cell(row + 1, col + 1, 1)  # the stale copy says otherwise
        stale.sheet_state = "hidden"

    path = with_openpyxl(shutil.copy(ZONES_06, tmp_path / ZONES_06.name), stale_beside_revised)
    parsed = read_sheet(path, SOURCES["zones"])
    assert parsed.sheet == "集聚区（修订）"
    assert (
        parsed.rows["employees"].tolist()
        == read_sheet(ZONES_06, SOURCES["zones"]).rows["employees"].tolist()
    )


def test_corrections_are_ranked_and_copies_are_ambiguous(tmp_path):
    folder = tmp_path / "zones"
    folder.mkdir()
    for name in (
        "集聚区月报_2025年6月.xlsx",
        "集聚区月报_2025-06_更正.xlsx",
        "集聚区月报_2025-06_更正(2).xlsx",
    ):
        (folder / name).write_bytes(b"")
    assert delivery_for(tmp_path, "zones", "2025-06").path.name == "集聚区月报_2025-06_更正(2).xlsx"
    (folder / "集聚区月报_2025-06_更正(2) - 副本.xlsx").write_bytes(b"")
    with pytest.raises(AmbiguousDelivery) as error:
        delivery_for(tmp_path, "zones", "2025-06")
    assert "更正(2).xlsx" in str(error.value) and "副本" in str(error.value)


def test_every_file_that_cannot_be_placed_is_listed_with_its_reason(tmp_path):
    zones = tmp_path / "zones"
    (zones / "旧").mkdir(parents=True)
    for name in (
        "集聚区月报_2024-12.xlsx",
        "集聚区月报_2099-01.xlsx",
        "集聚区月报.xlsx",
        "集聚区月报_2025-06.csv",
        "集聚区月报_2025-06.et",
        "旧/集聚区月报_2025-05.xlsx",
        "~$集聚区月报_2025-06.xlsx",
        "集聚区月报_2025-06.xlsx",
        "集聚区月报_2025年6月_202507.xlsx",
    ):
        (zones / name).write_bytes(b"x")
    (tmp_path / "说明.xlsx").write_bytes(b"x")
    loadable = [f"2025-{m:02d}" for m in range(1, 13)]
    reasons = {
        f.path.relative_to(tmp_path).as_posix(): f.reason
        for f in unplaced_files(tmp_path, loadable)
    }
    assert set(reasons) == {
        "zones/集聚区月报_2024-12.xlsx",
        "zones/集聚区月报_2099-01.xlsx",
        "zones/集聚区月报.xlsx",
        "zones/集聚区月报_2025-06.csv",
        "zones/集聚区月报_2025-06.et",
        "zones/旧/集聚区月报_2025-05.xlsx",
        "zones/集聚区月报_2025年6月_202507.xlsx",
        "说明.xlsx",
    }
    assert "says 2 months (2025-06, 2025-07)" in reasons["zones/集聚区月报_2025年6月_202507.xlsx"]
    assert (
        "outside the months psw loads (2025-01..2025-12)"
        in reasons["zones/集聚区月报_2099-01.xlsx"]
    )
    assert "sub-folder" in reasons["zones/旧/集聚区月报_2025-05.xlsx"]
    assert "'.csv'" in reasons["zones/集聚区月报_2025-06.csv"]


def test_numbers_pandas_would_call_missing_are_not_numbers(tmp_path):
    def spoil(grid):
        _, c = find_col(grid, "从业人员")
        grid[find_row(grid, "科教城")][c] = "NULL"
        grid[find_row(grid, "绿建区")][c] = "#N/A"

    with pytest.raises(SpreadsheetError) as error:
        read_sheet(variant(ZONES_06, tmp_path / ZONES_06.name, spoil), SOURCES["zones"])
    assert [p.rule for p in error.value.problems] == ["TYPE", "TYPE"]
    assert "'NULL'" in str(error.value) and "'#N/A'" in str(error.value)


def test_a_month_due_between_delivered_months_is_named(tmp_path):
    """Enterprises for 02, 03 and 05: April was due and never came; the survey's one wave and
    a source with no file at all leave no gap; a loaded file taken out of raw/ is gone."""
    for month in ("202502", "202503", "202505"):
        name = f"规上生产性服务业企业月报_{month}.xlsx"
        (tmp_path / "enterprises").mkdir(exist_ok=True)
        shutil.copy(RAW / "enterprises" / name, tmp_path / "enterprises" / name)
    (tmp_path / "demand_survey").mkdir()
    survey = "制造业企业生产性服务需求调查_2025-06.xlsx"
    shutil.copy(RAW / "demand_survey" / survey, tmp_path / "demand_survey" / survey)
    assert missing_months(tmp_path) == [("enterprises", "2025-04")]
    loaded = [
        ("enterprises", "2025-03", "规上生产性服务业企业月报_202503.xlsx"),
        ("enterprises", "2025-04", "规上生产性服务业企业月报_202504.xlsx"),
        ("projects", "2025-06", "重点项目月报_2025-06.xlsx"),
    ]
    assert gone_files(tmp_path, loaded) == loaded[1:]
