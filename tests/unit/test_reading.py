"""The reader on the real sample files and on variants of them that departments send."""

from pathlib import Path

import pytest
from conftest import RAW
from sheets import find_col, find_row, variant

from orchestration.lib.delivery.files import deliveries, delivery_for, months_delivered
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.reading.sheet import SpreadsheetError, read_file, read_sheet

PROJECTS_06 = RAW / "projects" / "重点项目月报_2025-06.xlsx"
ZONES_06 = RAW / "zones" / "集聚区月报_2025年6月.xlsx"
ENTERPRISES_02 = RAW / "enterprises" / "规上生产性服务业企业月报_202502.xlsx"


def test_every_sample_file_reads_and_its_total_row_adds_up():
    for name, source in SOURCES.items():
        files = deliveries(RAW, name)
        assert files, name
        for delivery in files:
            sheets = read_file(delivery.path, source)
            assert [parsed.sheet for parsed in sheets] == [part.sheet for part in source.sheets]
            for parsed in sheets:
                assert parsed.month == delivery.month
                if parsed.source.events:  # no 合计 row; a month may have none of them
                    continue
                assert len(parsed.rows) > 0
                if name == "city":  # its total is the 全市 row, within 0.5 % of the areas
                    city = parsed.rows["area"] == "全市"
                    for column in ("svc_revenue_ytd_wan_yuan", "l_revenue_ytd_wan_yuan"):
                        areas = parsed.rows.loc[~city, column].astype(float).sum()
                        whole = float(parsed.rows.loc[city, column].iloc[0])
                        assert abs(whole - areas) <= 0.005 * whole, column
                    continue
                assert parsed.total is not None and parsed.total_row is not None
                if source.service_columns:
                    continue
                for column, total in parsed.total.items():
                    if total is not None and column in parsed.rows:
                        summed = parsed.rows[column].astype(float).sum()
                        assert summed == pytest.approx(total), column


def test_two_row_header_and_top_total_of_the_projects_file():
    parsed = read_sheet(PROJECTS_06, SOURCES["projects"])
    assert parsed.header_row == 4  # the lower of the two header rows
    assert parsed.total_row == 5  # 合计 right under the header
    assert parsed.rows["excel_row"].iloc[0] == 6
    assert len(parsed.rows) == 20
    # the investment columns carry no unit: it comes from the unit line (单位：万元、亩、平方米)
    assert parsed.units["invested_ytd_wan_yuan"] == "万元"
    first = parsed.rows.iloc[0]
    assert first["project_id"] == "WJSC-2025-001"
    assert first["total_investment_wan_yuan"] == 103272
    assert first["land_area_mu"] == 197


def test_money_in_yi_yuan_and_qian_yuan_is_stored_in_wan_yuan():
    zones = read_sheet(ZONES_06, SOURCES["zones"])
    assert zones.units["revenue_ytd_wan_yuan"] == "亿元"
    provincial = zones.rows[zones.rows["zone_level"] == "省级"]
    assert provincial["invested_ytd_wan_yuan"].sum() == pytest.approx(174_000)
    assert provincial["enterprise_count"].sum() == 6625

    enterprises = read_sheet(ENTERPRISES_02, SOURCES["enterprises"])
    assert enterprises.units["revenue_ytd_wan_yuan"] == "千元"
    raw_total_qian = enterprises.total["revenue_ytd_wan_yuan"] * 10
    assert enterprises.rows["revenue_ytd_wan_yuan"].sum() * 10 == pytest.approx(raw_total_qian)


def test_survey_is_kept_long_one_row_per_service():
    survey = read_sheet(
        RAW / "demand_survey" / "制造业企业生产性服务需求调查_2025-06.xlsx",
        SOURCES["demand_survey"],
    )
    assert survey.rows["credit_code"].nunique() == len(survey.rows) == 214
    long = survey.warehouse_rows()
    assert len(long) == 214 * 12
    assert set(long["demand_level"]) <= {"无", "一般", "较强", "强烈"}
    assert list(long["service_code"][:2]) == ["S01", "S02"]


def test_an_extra_column_and_blank_rows_are_ignored(tmp_path):
    def add_remarks(grid):
        header_row, _ = find_col(grid, "集聚区名称")
        for row in grid:
            row.append(None)
        grid[header_row][-1] = "备注"
        grid.insert(header_row + 2, [None] * len(grid[0]))

    path = variant(ZONES_06, tmp_path / "集聚区月报_2025年6月.xlsx", add_remarks)
    parsed = read_sheet(path, SOURCES["zones"])
    assert len(parsed.rows) == 6
    assert "备注" not in parsed.rows.columns


def test_labels_and_blank_rows_are_known_whatever_cleaning_removes(tmp_path):
    """A 合计 label or a footer behind spaces and invisible marks, and a row of only such
    characters, are what they would be without them: the rows are classified on the cleaned
    cells, even where the reader looks at a column at once."""
    plain = read_sheet(ZONES_06, SOURCES["zones"])

    def disguise(grid):
        total = find_row(grid, "合计")
        grid[total][1] = "\u200b 合 计"
        footer = next(i for i, row in enumerate(grid) if str(row[0]).startswith("填报人"))
        grid[footer][0] = "\u3000\ufeff" + grid[footer][0]
        grid[total + 1] = ["\u200b", " ", "\u3000", *grid[total + 1][3:]]

    parsed = read_sheet(variant(ZONES_06, tmp_path / ZONES_06.name, disguise), SOURCES["zones"])
    assert parsed.total_row == plain.total_row
    assert parsed.total == plain.total
    assert parsed.rows.equals(plain.rows)


def test_missing_columns_are_all_named_at_once(tmp_path):
    def drop(grid):
        for header in ("1-本月营业收入", "入区企业数"):
            r, c = find_col(grid, header)
            grid[r][c] = "其他"

    path = variant(ZONES_06, tmp_path / "集聚区月报_2025年6月.xlsx", drop)
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(path, SOURCES["zones"])
    assert error.value.rules == ["G2"]
    message = str(error.value)
    assert "1-本月营业收入（亿元）" in message and "入区企业数（家）" in message


def test_title_naming_another_month_is_rejected(tmp_path):
    def retitle(grid):
        grid[0][0] = grid[0][0].replace("1-6月", "1-5月")

    path = variant(ZONES_06, tmp_path / "集聚区月报_2025年6月.xlsx", retitle)
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(path, SOURCES["zones"])
    assert error.value.rules == ["G3"]
    assert error.value.problems[0].row == 1


def test_text_in_a_number_column_names_row_and_column(tmp_path):
    def spoil(grid):
        _, c = find_col(grid, "从业人员")
        r = find_row(grid, "科教城")
        grid[r][c] = "约两万人"

    path = variant(ZONES_06, tmp_path / "集聚区月报_2025年6月.xlsx", spoil)
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(path, SOURCES["zones"])
    problem = error.value.problems[0]
    assert (problem.rule, problem.column, problem.sheet) == ("TYPE", "从业人员（人）", "集聚区")
    assert problem.row == 8  # Excel row of 科教城
    assert "约两万人" in str(problem)


@pytest.mark.parametrize("suffix", [".xls", ".xlsm"])
def test_old_and_macro_workbooks_are_rejected(tmp_path, suffix):
    path = tmp_path / f"集聚区月报_2025年6月{suffix}"
    path.write_bytes(ZONES_06.read_bytes())
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(path, SOURCES["zones"])
    assert error.value.rules == ["G1"] and suffix in str(error.value)


def test_corrupt_file_and_wrong_sheet_are_rejected(tmp_path):
    corrupt = tmp_path / "集聚区月报_2025年6月.xlsx"
    corrupt.write_bytes(ZONES_06.read_bytes()[:2000])
    with pytest.raises(SpreadsheetError, match="cannot be opened"):
        read_sheet(corrupt, SOURCES["zones"])

    renamed = variant(ZONES_06, tmp_path / "x" / "集聚区月报_2025年6月.xlsx", sheet="Sheet1")
    with pytest.raises(SpreadsheetError, match="no sheet '集聚区'.*Sheet1"):
        read_sheet(renamed, SOURCES["zones"])


def test_a_correction_wins_over_the_original(tmp_path):
    folder = tmp_path / "zones"
    folder.mkdir()
    (folder / "集聚区月报_2025年6月.xlsx").write_bytes(b"")
    (folder / "集聚区月报_2025-06_更正.xlsx").write_bytes(b"")
    (folder / "~$集聚区月报_2025-07.xlsx").write_bytes(b"")  # Excel's lock file
    chosen = delivery_for(tmp_path, "zones", "2025-06")
    assert chosen.path.name == "集聚区月报_2025-06_更正.xlsx"
    assert months_delivered(tmp_path) == ["2025-06"]


def test_sample_months_found():
    months = months_delivered(RAW)
    assert months == [f"2025-{m:02d}" for m in range(1, 10)]
    assert [d.month for d in deliveries(RAW, "enterprises")][0] == "2025-02"
    assert [d.month for d in deliveries(RAW, "demand_survey")] == ["2025-06"]
    assert isinstance(deliveries(RAW, "projects")[0].path, Path)


def test_far_cells_are_found_after_any_whitespace_and_only_in_attributes():
    from orchestration.lib.reading.package import _far_cells

    xml = (
        b'<row r="1"><c r="A1"/><c\tr="AB1"/><c\nr="C100001"/>'
        b'<c xr="ZZ9"/><c r="B2"><v>r="QQ1"</v></c></row>'
    )
    assert _far_cells(xml) == ["AB1", "C100001"]
