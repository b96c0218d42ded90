"""Bad spreadsheets, as departments send them, through the real ingestion job.

Each case writes a variant of a sample file into an otherwise empty raw folder, runs the
month's ingestion against a copy of the fully loaded warehouse, and asserts: the rule the
contract names, the Excel row where the rule is about rows, and that no table changed (the
load log excepted: it records the rejected attempt).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import dagster as dg
import duckdb
import pytest
from conftest import RAW, data_fingerprints, table_fingerprints
from sheets import (
    Grid,
    add_to_part,
    data_rows,
    find_col,
    find_row,
    number,
    read_book,
    read_grid,
    variant,
    with_openpyxl,
    write_book,
    write_grid,
)

from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.sources import SOURCES

SAMPLES = {
    "projects": RAW / "projects" / "重点项目月报_2025-06.xlsx",
    "zones": RAW / "zones" / "集聚区月报_2025年6月.xlsx",
    "enterprises": RAW / "enterprises" / "规上生产性服务业企业月报_202506.xlsx",
    "demand_survey": RAW / "demand_survey" / "制造业企业生产性服务需求调查_2025-06.xlsx",
    "ledger": RAW / "ledger" / "生产性服务业工作台账_2025-06.xlsx",
    "city": RAW / "city" / "常州市各辖市区规上服务业主要指标_2025-06.xlsx",
}


def row_header(sheet) -> str:
    """A header every data row of a sheet has a value under: its key's, or (for events, which
    have none) the first column a row must fill."""
    if sheet.key_header:
        return sheet.column(sheet.key_header).header
    return next(c.header for c in sheet.columns if c.blank_means == "error")


# the header each sheet writes its key under, from the sources' declarations
KEY_HEADERS = {
    (name, part.sheet): row_header(part) for name, s in SOURCES.items() for part in s.sheets
}


def key_header(source: str, part: str | None = None) -> str:
    return KEY_HEADERS[source, part or SOURCES[source].sheets[0].sheet]


@dataclass
class Case:
    id: str
    source: str
    rule: str
    # writes the file into the source's folder; returns the Excel row the rule points at
    build: Callable[[Path], int | None]
    rejected: bool = True
    column: str | None = None  # the header the problem must name, where it is about a column
    says: str | None = None  # words the problem must say
    month: str = "2025-06"  # the month the ingestion runs for


def edit_cell(
    source: str,
    header: str,
    value,
    nth: int = 0,
    where: str | None = None,
    part: str | None = None,
):
    """A builder: the sample with one cell changed (the nth data row, or the row holding
    `where`, of its sheet or of the sheet `part`); returns that cell's Excel row."""

    def build(folder: Path) -> int:
        found = {}

        def edit(grid: Grid):
            row = find_row(grid, where) if where else data_rows(grid, key_header(source, part))[nth]
            _, col = find_col(grid, header)
            grid[row][col] = value(grid[row][col]) if callable(value) else value
            found["row"] = row + 1

        variant(SAMPLES[source], folder / SAMPLES[source].name, edit, part=part)
        return found["row"]

    return build


def copy_as(suffix: str, source: str = "zones"):
    def build(folder: Path) -> None:
        shutil.copy(SAMPLES[source], folder / (SAMPLES[source].stem + suffix))

    return build


def corrupt(folder: Path) -> None:
    (folder / SAMPLES["zones"].name).write_bytes(SAMPLES["zones"].read_bytes()[:3000])


def wrong_sheet(folder: Path) -> None:
    variant(SAMPLES["zones"], folder / SAMPLES["zones"].name, sheet="聚集区")


def empty_sheet(folder: Path) -> None:
    write_grid(folder / SAMPLES["zones"].name, "集聚区", [])


def only_headers(folder: Path) -> None:
    def edit(grid: Grid):
        header_row, _ = find_col(grid, "集聚区名称")
        del grid[header_row + 1 :]

    variant(SAMPLES["zones"], folder / SAMPLES["zones"].name, edit)


def missing_column(folder: Path) -> int:
    def edit(grid: Grid):
        r, c = find_col(grid, "1-本月营业收入")
        grid[r][c] = "营业收入"

    variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name, edit)
    return 3


def wrong_period(folder: Path) -> int:
    def edit(grid: Grid):
        grid[0][0] = grid[0][0].replace("1-6月", "1-5月")

    variant(SAMPLES["zones"], folder / SAMPLES["zones"].name, edit)
    return 1


def total_off(folder: Path) -> int:
    found = {}

    def edit(grid: Grid):
        r = find_row(grid, "合计")
        _, c = find_col(grid, "总投资")
        grid[r][c] = number(grid[r][c]) + 1000
        found["row"] = r + 1

    variant(SAMPLES["projects"], folder / SAMPLES["projects"].name, edit)
    return found["row"]


def duplicate_key(source: str) -> Callable[[Path], int]:
    def build(folder: Path) -> int:
        found = {}

        def edit(grid: Grid):
            rows = data_rows(grid, key_header(source))
            _, c = find_col(grid, key_header(source))
            grid[rows[1]][c] = grid[rows[0]][c]
            found["row"] = rows[1] + 1

        variant(SAMPLES[source], folder / SAMPLES[source].name, edit)
        return found["row"]

    return build


def duplicate_zone_by_short_name(folder: Path) -> int:
    found = {}

    def edit(grid: Grid):
        r = find_row(grid, "科教城")
        grid.insert(r + 1, list(grid[r]))
        _, c = find_col(grid, "集聚区名称")
        grid[r + 1][c] = "常州科教城"  # the same zone by its full name
        found["row"] = r + 2

    variant(SAMPLES["zones"], folder / SAMPLES["zones"].name, edit)
    return found["row"]


def city_cell(area: str, group: str, value) -> Callable[[Path], int]:
    """The city's table with the revenue of `group` (规模以上服务业 or a section: the first
    column under the group's label) of `area` changed; returns its Excel row."""

    def build(folder: Path) -> int:
        found = {}

        def edit(grid: Grid):
            row = find_row(grid, area)
            _, col = find_col(grid, group)
            grid[row][col] = value(number(grid[row][col]))
            found["row"] = row + 1

        variant(SAMPLES["city"], folder / SAMPLES["city"].name, edit)
        return found["row"]

    return build


def city_area_twice(folder: Path) -> int:
    """武进区 again, as the short name 武进: one area twice."""
    found = {}

    def edit(grid: Grid):
        r = find_row(grid, "武进区")
        grid.insert(r + 1, ["武进"] + list(grid[r][1:]))
        found["row"] = r + 2

    variant(SAMPLES["city"], folder / SAMPLES["city"].name, edit)
    return found["row"]


def far_fewer_rows(folder: Path) -> None:
    """A warning only (G7): 40% of the enterprises, with a 合计 that matches them."""

    def edit(grid: Grid):
        rows = data_rows(grid, "统一社会信用代码")
        keep = set(rows[: int(len(rows) * 0.4)])
        total = find_row(grid, "合计")
        grid[:] = [row for i, row in enumerate(grid) if i not in rows or i in keep]
        total = find_row(grid, "合计")
        kept = [grid[i] for i in data_rows(grid, "统一社会信用代码")]
        for c in range(7, 13):  # 本月 … 上年同期1-本月营业利润, 期末从业人员
            grid[total][c] = sum(number(row[c]) for row in kept if row[c] not in (None, ""))

    variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name, edit)


def cell_of(source: str, header: str, nth: int = 0, where: str | None = None):
    """(Excel row, Excel column) of a sample's cell: the nth data row, or the row holding
    `where`, under the header that starts with `header`."""
    _, grid = read_grid(SAMPLES[source])
    row = find_row(grid, where) if where else data_rows(grid, key_header(source))[nth]
    _, col = find_col(grid, header)
    return row + 1, col + 1


def openpyxl_cell(source: str, header: str, value, nth: int = 0, where: str | None = None):
    """A builder: the sample with one cell set by openpyxl, which writes a formula without a
    cached value and '#REF!' as an error cell, as programs that export spreadsheets do."""

    def build(folder: Path) -> int:
        row, col = cell_of(source, header, nth, where)
        path = variant(SAMPLES[source], folder / SAMPLES[source].name)
        with_openpyxl(path, lambda wb: wb.worksheets[0].cell(row, col, value))
        return row

    return build


def merged_figure(folder: Path) -> int:
    row, col = cell_of("zones", "从业人员", where="科教城")
    path = variant(SAMPLES["zones"], folder / SAMPLES["zones"].name)
    with_openpyxl(
        path,
        lambda wb: wb.worksheets[0].merge_cells(
            start_row=row, start_column=col, end_row=row + 1, end_column=col
        ),
    )
    return row


def stray_cell(folder: Path) -> None:
    path = variant(SAMPLES["zones"], folder / SAMPLES["zones"].name)
    with_openpyxl(path, lambda wb: wb.worksheets[0].cell(1_048_576, 16_384, "x"))


def shared_strings_bomb(folder: Path) -> None:
    path = variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name)
    add_to_part(
        path, "xl/sharedStrings.xml", b"</sst>", b"<si><t>" + b"A" * 30_000_000 + b"</t></si>"
    )


def repeated_string_bomb(folder: Path) -> None:
    """300,000 cells that all point at one 32,767-character shared string: a 1 MB file whose
    every part is small and compresses as XML does, and whose cells expand to ~30 GB."""
    import zipfile

    path = variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name)
    with zipfile.ZipFile(path) as package:
        strings = package.read("xl/sharedStrings.xml")
    index = strings.count(b"<si>")
    add_to_part(
        path, "xl/sharedStrings.xml", b"</sst>", b"<si><t>" + "企".encode() * 32_767 + b"</t></si>"
    )
    rows = b"".join(
        b'<row r="%d"><c r="C%d" t="s"><v>%d</v></c></row>' % (r, r, index)
        for r in range(1_000, 301_000)
    )
    add_to_part(path, "xl/worksheets/sheet1.xml", b"</sheetData>", rows)
    assert path.stat().st_size < 2_000_000


def only_a_hidden_sheet(folder: Path) -> None:
    def hide(wb):
        wb.create_sheet("说明")
        wb.worksheets[0].sheet_state = "hidden"
        wb.active = 1

    with_openpyxl(variant(SAMPLES["zones"], folder / SAMPLES["zones"].name), hide)


def two_visible_sheets(folder: Path) -> None:
    def copy(wb):
        wb.copy_worksheet(wb.worksheets[0]).title = "集聚区 (2)"

    with_openpyxl(variant(SAMPLES["zones"], folder / SAMPLES["zones"].name), copy)


def year_groups(left: str, right: str):
    """The enterprises' two revenue columns under group headers, with one sub-header."""

    def build(folder: Path) -> int:
        found = {}

        def edit(grid: Grid):
            header_row, ytd = find_col(grid, "1-本月营业收入")
            _, prior = find_col(grid, "上年同期1-本月营业收入")
            grid.insert(header_row, [None] * len(grid[header_row]))
            grid[header_row][ytd], grid[header_row][prior] = left, right
            grid[header_row + 1][prior] = grid[header_row + 1][ytd]
            found["row"] = header_row + 2

        variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name, edit)
        return found["row"]

    return build


def hidden_row(folder: Path) -> int:
    row, _ = cell_of("enterprises", "统一社会信用代码", nth=7)
    path = variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name)
    with_openpyxl(path, lambda wb: setattr(wb.worksheets[0].row_dimensions[row], "hidden", True))
    return row


def hidden_column(folder: Path) -> None:
    _, col = cell_of("zones", "从业人员", where="科教城")
    path = variant(SAMPLES["zones"], folder / SAMPLES["zones"].name)
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[col - 1]
    with_openpyxl(
        path, lambda wb: setattr(wb.worksheets[0].column_dimensions[letter], "hidden", True)
    )


def table_below_the_footer(folder: Path) -> int:
    found = {}

    def edit(grid: Grid):
        stale = list(grid[find_row(grid, "科教城")])
        grid.append([None] * len(stale))
        grid.append(stale)
        found["row"] = len(grid)

    variant(SAMPLES["zones"], folder / SAMPLES["zones"].name, edit)
    return found["row"]


def two_totals(folder: Path) -> int:
    found = {}

    def edit(grid: Grid):
        total = list(grid[find_row(grid, "合计")])
        _, c = find_col(grid, "从业人员")
        total[c] = number(total[c]) + 1
        footer = next(i for i, row in enumerate(grid) if str(row[0] or "").startswith("填报人"))
        grid.insert(footer, total)
        found["row"] = footer + 1

    variant(SAMPLES["zones"], folder / SAMPLES["zones"].name, edit)
    return found["row"]


def copy_beside(folder: Path) -> None:
    shutil.copy(SAMPLES["zones"], folder / SAMPLES["zones"].name)
    shutil.copy(SAMPLES["zones"], folder / (SAMPLES["zones"].stem + " - 副本.xlsx"))


def duplicate_report(folder: Path) -> int:
    """The same outlet and headline twice in the month's 宣传报道."""
    found = {}

    def edit(grid: Grid):
        rows = data_rows(grid, key_header("ledger", "宣传报道"))
        for header in ("媒体名称", "标题"):
            _, c = find_col(grid, header)
            grid[rows[1]][c] = grid[rows[0]][c]
        found["row"] = rows[1] + 1

    variant(SAMPLES["ledger"], folder / SAMPLES["ledger"].name, edit, part="宣传报道")
    return found["row"]


def from_may(part: str, headers: tuple[str, ...], retype=lambda text: text, **values):
    """A builder: June's ledger with its first row of `part` given the cells under `headers`
    of a row of May's ledger (the one holding `values` under their headers, or its first),
    re-typed by `retype`; returns the Excel row."""
    may = RAW / "ledger" / "生产性服务业工作台账_2025-05.xlsx"

    def build(folder: Path) -> int:
        _, old = read_grid(may, part)
        wanted = [
            r
            for r in data_rows(old, key_header("ledger", part))
            if all(old[r][find_col(old, h)[1]] == v for h, v in values.items())
        ][0]
        found = {}

        def edit(grid: Grid):
            row = data_rows(grid, key_header("ledger", part))[0]
            for header in (*values, *headers):
                _, c = find_col(grid, header)
                text = old[wanted][find_col(old, header)[1]]
                grid[row][c] = retype(text) if header in headers else text
            found["row"] = row + 1

        variant(SAMPLES["ledger"], folder / SAMPLES["ledger"].name, edit, part=part)
        return found["row"]

    return build


def retyped_id_below_may(folder: Path) -> int:
    """The first project's id re-typed in lower case and full width, its YTD cut to 10."""
    found = {}

    def edit(grid: Grid):
        row = data_rows(grid, "项目编号")[0]
        _, key = find_col(grid, "项目编号")
        _, ytd = find_col(grid, "1-本月累计完成投资")
        grid[row][key] = grid[row][key].lower().replace("-", "－")
        grid[row][ytd] = 10.0
        found["row"] = row + 1

    variant(SAMPLES["projects"], folder / SAMPLES["projects"].name, edit)
    return found["row"]


def copied_row(part: str):
    """A builder: June's ledger with the first row of `part` pasted again below it."""

    def build(folder: Path) -> int:
        found = {}

        def edit(grid: Grid):
            row = data_rows(grid, key_header("ledger", part))[0]
            grid.insert(row + 1, list(grid[row]))
            found["row"] = row + 2

        variant(SAMPLES["ledger"], folder / SAMPLES["ledger"].name, edit, part=part)
        return found["row"]

    return build


def without_row(source: str, nth: int = 0):
    """A builder: the sample without its nth data row, its 合计 row still the sum."""

    def build(folder: Path) -> None:
        def edit(grid: Grid):
            row = data_rows(grid, key_header(source))[nth]
            total = find_row(grid, "合计")
            for c, value in enumerate(grid[row]):
                if c < len(grid[total]) and grid[total][c] not in (None, "", "合计"):
                    left = number(grid[total][c]) - (
                        number(value) if value not in (None, "", "—", "-") else 0.0
                    )
                    grid[total][c] = round(left, 6)
            del grid[row]

        variant(SAMPLES[source], folder / SAMPLES[source].name, edit)

    return build


def off_cycle(source: str, sample: str, name: str, period: str):
    """A builder: a sample file delivered for a month its source does not deliver: renamed
    `name`, its title's period made `period` (so the name and the title agree)."""

    def build(folder: Path) -> None:
        def edit(grid: Grid):
            grid[0][0] = re.sub(r"（[^（）]*）$", f"（{period}）", grid[0][0])

        variant(RAW / source / sample, folder / name, edit)

    return build


def ledger_without(sheet: str):
    def build(folder: Path) -> None:
        kept = [(name, grid) for name, grid in read_book(SAMPLES["ledger"]) if name != sheet]
        write_book(folder / SAMPLES["ledger"].name, kept)

    return build


CASES = [
    Case(
        "ledger: a date outside the month",
        "ledger",
        "L1",
        edit_cell("ledger", "日期", dt.date(2025, 5, 30), nth=2, part="招引活动"),
        column="日期",
    ),
    Case(
        "ledger: a date as text outside the month",
        "ledger",
        "L1",
        edit_cell("ledger", "日期", "2025年7月1日", nth=0, part="培训活动"),
        column="日期",
    ),
    Case(
        "ledger: not a date",
        "ledger",
        "TYPE",
        edit_cell("ledger", "日期", "6月中旬", nth=1, part="宣传报道"),
        column="日期",
    ),
    Case(
        "ledger: an unknown activity type",
        "ledger",
        "L2",
        edit_cell("ledger", "活动类型", "外出考察", nth=1, part="招引活动"),
        column="活动类型",
    ),
    Case(
        "ledger: a visit outside the district in 武进",
        "ledger",
        "L3",
        edit_cell("ledger", "企业所在地", "常州市武进区", where="外出拜访", part="招引活动"),
        column="企业所在地",
    ),
    Case(
        "ledger: an unknown board",
        "ledger",
        "L4",
        edit_cell("ledger", "参与板块", "湖塘镇、火星镇", nth=0, part="招引活动"),
        column="参与板块",
    ),
    Case(
        "an unknown board written as Markdown and HTML",
        "projects",
        "P2",
        edit_cell("projects", "所属板块", "[湖塘](javascript:alert(1)) | <b>镇</b>", nth=2),
        column="所属板块",
        says="e.g. [湖塘](javascript:alert(1)) | <b>镇</b>",
    ),
    Case(
        "ledger: an unknown media level",
        "ledger",
        "L5",
        edit_cell("ledger", "媒体级别", "国家级", nth=0, part="宣传报道"),
        column="媒体级别",
    ),
    Case("ledger: a duplicate report", "ledger", "G5", duplicate_report, column="标题"),
    Case(
        "ledger: May's 签约落地 reported again in June (补报)",
        "ledger",
        "G10",
        from_may("招引活动", ("企业名称",), 活动类型="签约落地"),
        column="企业名称",
        says="2025-05 row 11 of 生产性服务业工作台账_2025-05.xlsx",
    ),
    Case(
        "ledger: May's report again in June, re-typed in full-width and spaces",
        "ledger",
        "G10",
        from_may(
            "宣传报道",
            ("媒体名称", "标题"),
            retype=lambda text: " ".join(text).replace(":", "：").replace("(", "（"),
        ),
        column="标题",
        says="2025-05 row 4",
    ),
    Case("ledger: a visit pasted twice", "ledger", "G10", copied_row("招引活动")),
    Case("ledger: a training pasted twice", "ledger", "G10", copied_row("培训活动")),
    Case(
        "a project id re-typed in lower case, its YTD below May's",
        "projects",
        "G6",
        retyped_id_below_may,
        column="1-本月累计完成投资",
    ),
    Case(
        "warning only: a key project missing from the month",
        "projects",
        "G9",
        without_row("projects", nth=3),
        rejected=False,
        says="missing WJSC-2025-004",
    ),
    Case(
        "warning only: an enterprise missing from the month",
        "enterprises",
        "G9",
        without_row("enterprises", nth=0),
        rejected=False,
    ),
    Case(
        "an enterprises file for January (its months start at 1-2月)",
        "enterprises",
        "G8",
        off_cycle(
            "enterprises",
            "规上生产性服务业企业月报_202502.xlsx",
            "规上生产性服务业企业月报_202501.xlsx",
            "2025年1月",
        ),
        month="2025-01",
    ),
    Case(
        "a demand survey wave for September (its waves are 06 and 12)",
        "demand_survey",
        "G8",
        off_cycle(
            "demand_survey",
            "制造业企业生产性服务需求调查_2025-06.xlsx",
            "制造业企业生产性服务需求调查_2025-09.xlsx",
            "2025年9月",
        ),
        month="2025-09",
    ),
    Case(
        "ledger: text in 参训人数",
        "ledger",
        "TYPE",
        edit_cell("ledger", "参训人数", "约60人", nth=0, part="培训活动"),
        column="参训人数（人）",
    ),
    Case(
        "ledger: an unknown audience",
        "ledger",
        "L6",
        edit_cell("ledger", "培训对象", "全体员工", nth=0, part="培训活动"),
        column="培训对象",
    ),
    Case("ledger: a missing sheet", "ledger", "G1", ledger_without("培训活动"), says="培训活动"),
    Case("xlsm", "zones", "G1", copy_as(".xlsm")),
    Case("xls", "zones", "G1", copy_as(".xls")),
    Case("corrupt zip", "zones", "G1", corrupt),
    Case("misspelt sheet", "zones", "G1", wrong_sheet),
    Case("empty sheet", "zones", "G1", empty_sheet),
    Case("only headers", "zones", "G1", only_headers),
    Case("missing column", "enterprises", "G2", missing_column),
    Case("title names another period", "zones", "G3", wrong_period),
    Case("合计 does not add up", "projects", "G4", total_off),
    Case("duplicate project id", "projects", "G5", duplicate_key("projects")),
    Case("duplicate credit code", "enterprises", "G5", duplicate_key("enterprises")),
    Case("zone twice, short and full name", "zones", "G5", duplicate_zone_by_short_name),
    Case("city: an area twice, by name and short name", "city", "G5", city_area_twice),
    Case(
        "city: 全市 is not the sum of the areas",
        "city",
        "C3",
        city_cell("全市", "规模以上服务业", lambda v: round(v * 1.02, 2)),
        column="规模以上服务业 1-本月营业收入（亿元）",
    ),
    Case(
        "city: a section above the area's whole",
        "city",
        "C4",
        city_cell("武进区", "租赁和商务服务业", lambda v: v * 10),
        column="租赁和商务服务业 1-本月营业收入（亿元）",
    ),
    Case(
        "revenue YTD below last month's",
        "zones",
        "G6",
        edit_cell("zones", "1-本月营业收入", 1.0, where="科教城"),
    ),
    Case(
        "project YTD below last month's",
        "projects",
        "G6",
        edit_cell("projects", "1-本月累计完成投资", 10.0),
    ),
    Case("text in a number column", "projects", "TYPE", edit_cell("projects", "总投资", "待定")),
    Case(
        "text in a month column",
        "projects",
        "TYPE",
        edit_cell("projects", "计划开工年月", "明年上半年", nth=3),
    ),
    Case(
        "bad check character",
        "enterprises",
        "E1",
        edit_cell(
            "enterprises",
            "统一社会信用代码",
            lambda code: code.strip()[:17] + ("0" if code.strip()[17] != "0" else "1"),
            nth=5,
        ),
    ),
    Case("negative total investment", "projects", "P6", edit_cell("projects", "总投资", -5)),
    Case(
        "negative YTD investment",
        "projects",
        "P9",
        edit_cell("projects", "1-本月累计完成投资", -100, nth=2),
    ),
    Case("unknown board", "projects", "P2", edit_cell("projects", "所属板块", "火星镇", nth=4)),
    Case(
        "plan above total",
        "projects",
        "P7",
        edit_cell("projects", "年度计划投资", 99_999_999, nth=1),
    ),
    Case(
        "finish before start",
        "projects",
        "P11",
        edit_cell("projects", "计划竣工年月", "2020-01", nth=6),
    ),
    Case("unknown status", "projects", "P12", edit_cell("projects", "建设状态", "停工", nth=7)),
    Case(
        "unknown zone",
        "zones",
        "Z1",
        edit_cell("zones", "集聚区名称", "月球集聚区", where="津通集聚区"),
    ),
    Case(
        "level disagrees with reference",
        "zones",
        "Z2",
        edit_cell("zones", "级别", "培育", where="湖塘科技产业园"),
    ),
    Case(
        "board disagrees with reference",
        "zones",
        "Z3",
        edit_cell("zones", "所属板块", "雪堰镇", where="科教城"),
    ),
    Case(
        "above-scale above enterprises",
        "zones",
        "Z5",
        edit_cell("zones", "其中：规上企业数", 99_999, where="绿建区"),
    ),
    Case(
        "month above YTD",
        "enterprises",
        "E7",
        edit_cell("enterprises", "本月营业收入", 999_999_999, nth=8),
    ),
    Case(
        "unknown zone of an enterprise",
        "enterprises",
        "E4",
        edit_cell("enterprises", "所属集聚区", "月球集聚区", nth=9),
    ),
    Case(
        "industry code not a class",
        "enterprises",
        "E5",
        edit_cell("enterprises", "国民经济行业代码", "99", nth=10),
    ),
    Case("six stars", "enterprises", "E9", edit_cell("enterprises", "星级企业", "六星", nth=11)),
    Case(
        "survey: bad credit code",
        "demand_survey",
        "S1",
        edit_cell("demand_survey", "统一社会信用代码", "91320412MA1XXXXXX0", nth=3),
    ),
    Case(
        "survey: not a manufacturer",
        "demand_survey",
        "S4",
        edit_cell("demand_survey", "国民经济行业代码", "7320", nth=4),
    ),
    Case(
        "survey: unknown demand level",
        "demand_survey",
        "S7",
        edit_cell("demand_survey", "科技服务需求程度", "很强", nth=5),
    ),
    # issue 9: values no rule has seen never pass
    Case(
        "formula without a cached value",
        "projects",
        "CELL",
        openpyxl_cell("projects", "总投资", "=A1*2", nth=2),
        column="总投资 （万元）",  # as the file writes it, with a line break
    ),
    Case(
        "#REF! in a figure",
        "enterprises",
        "CELL",
        openpyxl_cell("enterprises", "1-本月营业收入", "#REF!", nth=3),
        column="1-本月营业收入（千元）",
    ),
    Case(
        "#N/A in the 合计 row",
        "zones",
        "CELL",
        openpyxl_cell("zones", "1-本月营业收入", "#N/A", where="合计"),
    ),
    Case(
        "NaN typed into a figure",
        "zones",
        "TYPE",
        edit_cell("zones", "1-本月营业收入", "NaN", where="科教城"),
        column="1-本月营业收入（亿元）",
    ),
    Case("inf in a count", "zones", "TYPE", edit_cell("zones", "从业人员", "inf", where="绿建区")),
    Case(
        "1E+20 in a count",
        "enterprises",
        "TYPE",
        edit_cell("enterprises", "期末从业人员", 1e20, nth=6),
        column="期末从业人员（人）",
    ),
    Case(
        "— in a cumulative figure is 0, below last month's",
        "zones",
        "G6",
        edit_cell("zones", "1-本月营业收入", "—", where="科教城"),
        column="1-本月营业收入（亿元）",
    ),
    Case(
        "an empty cumulative figure is 0, below last month's",
        "projects",
        "G6",
        edit_cell("projects", "1-本月累计完成投资", None),
    ),
    Case(
        "a month typed as the number 2025.10",
        "projects",
        "TYPE",
        edit_cell("projects", "计划竣工年月", 2025.10, nth=3),
        column="计划竣工年月",
    ),
    Case("a figure merged over two rows", "zones", "CELL", merged_figure, column="从业人员（人）"),
    Case(
        "a blank credit code",
        "enterprises",
        "REQ",
        edit_cell("enterprises", "统一社会信用代码", None, nth=4),
        column="统一社会信用代码",
    ),
    Case(
        "a blank board",
        "projects",
        "REQ",
        edit_cell("projects", "所属板块", "  ", nth=5),
        column="所属板块",
    ),
    Case(
        "a credit code stored as a number",
        "enterprises",
        "TYPE",
        edit_cell("enterprises", "统一社会信用代码", 913204121234567000.0, nth=2),
        column="统一社会信用代码",
    ),
    Case(
        "a decimal comma",
        "zones",
        "TYPE",
        edit_cell("zones", "1-本月营业收入", "30,6", where="科教城"),
    ),
    Case("a stray value in XFD1048576", "zones", "G1", stray_cell),
    Case("a shared-strings bomb", "enterprises", "G1", shared_strings_bomb),
    Case(
        "one long shared string in 300,000 cells",
        "enterprises",
        "G1",
        repeated_string_bomb,
        says="of text when read (302,673 cells repeat",
    ),
    Case("the sheet is hidden", "zones", "G1", only_a_hidden_sheet),
    Case("two visible copies of the sheet", "zones", "G1", two_visible_sheets),
    Case(
        "one header under two groups that do not say which",
        "enterprises",
        "G2",
        year_groups("2025年", "2024年"),
        says="appears in 2 columns (I, J)",
    ),
    Case(
        "a unit the contract does not use",
        "zones",
        "G2",
        edit_cell("zones", "从业人员", "从业人员（万人）", where="集聚区名称"),
        column="从业人员（万人）",
    ),
    Case("a copy beside the original", "zones", "G1", copy_beside),
    Case("a hidden data row", "enterprises", "G1", hidden_row),
    Case("a hidden column", "zones", "G1", hidden_column, column="从业人员（人）"),
    Case("a stale table below the footer", "zones", "G1", table_below_the_footer),
    Case("two 合计 rows that disagree", "zones", "G4", two_totals),
    Case(
        "warning only: far fewer rows than last month",
        "enterprises",
        "G7",
        far_fewer_rows,
        rejected=False,
    ),
]


@pytest.fixture
def ingest(make_run, tmp_path, monkeypatch):
    """Run the month's ingestion on a raw folder against a copy of the loaded warehouse."""
    warehouse = tmp_path / "warehouse" / "psw.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(make_run["warehouse"], warehouse)
    raw = tmp_path / "raw"
    monkeypatch.setenv("PSW_RAW_DIR", str(raw))
    monkeypatch.setenv("PSW_WAREHOUSE_PATH", str(warehouse))

    def run(month: str = "2025-06"):
        from orchestration.definitions import build_definitions

        job = build_definitions().resolve_job_def("ingest_month")
        with dg.DagsterInstance.ephemeral() as instance:
            return job.execute_in_process(
                partition_key=month, instance=instance, raise_on_error=False
            )

    return raw, warehouse, run


def check_of(result, source: str):
    """The validation check of the source's (first) raw table: a file of several sheets is
    one delivery, and each of its tables shows the whole file's result."""
    evaluations = [
        e
        for e in result.get_asset_check_evaluations()
        if e.asset_key == dg.AssetKey(["raw", SOURCES[source].sheets[0].name])
    ]
    assert len(evaluations) == 1
    return evaluations[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file(case: Case, ingest):
    raw, warehouse, run = ingest
    folder = raw / case.source
    folder.mkdir(parents=True)
    expected_row = case.build(folder)
    before = table_fingerprints(warehouse)

    result = run(case.month)

    check = check_of(result, case.source)
    problems = check.metadata["problem_list"].value
    rules = {p["rule"] for p in problems}
    assert case.rule in rules, problems
    if expected_row is not None:
        rows = {row for p in problems if p["rule"] == case.rule for row in p["rows"]}
        assert expected_row in rows, (expected_row, problems)
    if case.column:
        columns = {p["column"] for p in problems if p["rule"] == case.rule}
        assert case.column in columns, (case.column, problems)
    for problem in problems:
        assert problem["count"] >= 1
    assert check.metadata["file"].value.startswith(SOURCES[case.source].file_stem)
    if case.says:
        said = [str(p.get("message")) for p in problems if p["rule"] == case.rule]
        assert any(case.says in message for message in said), said
    table = check.metadata["problems"].value.splitlines()  # Markdown, shown in the UI
    assert len(table) == 2 + len(problems)
    for line in table:  # a department's text never adds a cell, a link or a tag
        assert len(re.findall(r"(?<!\\)\|", line)) == 8, line
        assert not re.search(r"(?<!\\)[<\[]", line), line
    for problem in problems:  # a department never reads None or nan for a cell
        assert not re.search(r"\b(None|nan)\b", str(problem.get("message"))), problem
    after = table_fingerprints(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        last = conn.execute(
            "select outcome, failed_rules, file_name from raw.load_log "
            "order by finished_at desc limit 1"
        ).fetchall()[0]

    if case.rejected:
        assert not result.success
        assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
        assert data_fingerprints(after) == data_fingerprints(before)
        assert after["raw.load_log"][0] == before["raw.load_log"][0] + 1
        assert last[0] == "rejected" and case.rule in last[1].split(",")
        failure = next(e for e in result.all_events if e.is_step_failure)
        description = failure.step_failure_data.user_failure_data.description
        assert description.startswith("REJECTED ") and case.rule in description
    else:
        assert result.success
        assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
        assert last[0] == "loaded"
        assert data_fingerprints(after) != data_fingerprints(before)


def test_rejected_check_links_its_validation_page(ingest):
    """The check links the file's own page, over http as `make ui` serves it; the page names
    each rule broken, with its text, and the Excel rows."""
    import html

    from orchestration.lib import settings

    raw, warehouse, run = ingest
    folder = raw / "zones"
    folder.mkdir(parents=True)
    edit_cell("zones", "其中：规上企业数", 99_999, where="绿建区")(folder)
    check = check_of(run(), "zones")
    page = Path(check.metadata["validation_report_file"].value)
    pages = warehouse.parent / "validations"
    assert page.is_relative_to(pages) and page.parent == pages / "zones" / "2025-06"
    assert check.metadata["validation_report"].value == (
        f"{settings.pages_url()}/{quote(page.relative_to(pages).as_posix())}"
    )
    text = html.unescape(page.read_text(encoding="utf-8"))
    rules = check.metadata["rules"].value.split(", ")
    assert "Z5" in rules
    for problem in check.metadata["problem_list"].value:
        assert f"<td>{problem['rule']}</td><td>{catalogue()[problem['rule']].text}</td>" in text
    assert "拒收 / REJECTED" in text and "<script" not in text and "http" not in text
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert f'href="{page.relative_to(pages).as_posix()}"' in index
    assert check.metadata["sheet"].value == "集聚区"


def test_real_survey_loads_with_its_warning(ingest):
    raw, warehouse, run = ingest
    (raw / "demand_survey").mkdir(parents=True)
    source = SAMPLES["demand_survey"]
    shutil.copy(source, raw / "demand_survey" / ("x" + source.name))  # new name, same month
    result = run()
    check = check_of(result, "demand_survey")
    assert result.success
    assert check.severity == dg.AssetCheckSeverity.WARN and not check.passed
    assert [p["rule"] for p in check.metadata["problem_list"].value] == ["S5"]
    assert check.metadata["problem_list"].value[0]["rows"] == [61]


def test_a_correction_replaces_exactly_that_month_and_keeps_the_version_it_replaced(ingest):
    raw, warehouse, run = ingest
    folder = raw / "zones"
    folder.mkdir(parents=True)

    def raise_revenue(grid: Grid):
        _, c = find_col(grid, "1-本月营业收入")
        for where in ("科教城", "合计"):
            r = find_row(grid, where)
            grid[r][c] = number(grid[r][c]) + 1.5

    variant(SAMPLES["zones"], folder / "集聚区月报_2025年6月.xlsx")
    variant(SAMPLES["zones"], folder / "集聚区月报_2025-06_更正.xlsx", raise_revenue)

    def by_month(conn):
        return dict(
            conn.execute(
                "select month, bit_xor(hash(z)) from raw.zones z group by month"
            ).fetchall()
        )

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        before = by_month(conn)
    assert run().success
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        after = by_month(conn)
        june = conn.execute(
            "select revenue_ytd_wan_yuan, source_file from raw.zones "
            "where month = '2025-06' and zone_name = '科教城' and superseded_at is null"
        ).fetchall()
        log = conn.execute(
            "select outcome, file_name, load_id from raw.load_log order by finished_at desc limit 1"
        ).fetchall()
        # both versions of June stay: the first superseded by the correction's load
        versions = conn.execute(
            "select source_file, superseded_by, count(*), count(superseded_at) from raw.zones "
            "where month = '2025-06' group by all order by superseded_by nulls first"
        ).fetchall()
    assert {m for m in after if after[m] != before[m]} == {"2025-06"}
    assert june == [(pytest.approx(306_000 + 15_000), "集聚区月报_2025-06_更正.xlsx")]
    assert log[0][:2] == ("loaded", "集聚区月报_2025-06_更正.xlsx")
    assert versions == [
        ("集聚区月报_2025-06_更正.xlsx", None, 6, 0),
        ("集聚区月报_2025年6月.xlsx", log[0][2], 6, 6),
    ]
    assert run().success  # the same correction again: nothing changes
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert by_month(conn) == after
        assert conn.execute(
            "select outcome from raw.load_log order by finished_at desc limit 1"
        ).fetchall() == [("unchanged",)]


def test_a_ledger_month_with_empty_sheets_loads_as_no_events(ingest):
    """A month with no activity still sends its ledger, every sheet a header and no rows."""
    raw, warehouse, run = ingest
    folder = raw / "ledger"
    folder.mkdir(parents=True)
    path = SAMPLES["ledger"]
    for part in SOURCES["ledger"].sheets:
        source = path if part is SOURCES["ledger"].sheets[0] else folder / path.name

        def empty(grid: Grid, part=part):
            del grid[data_rows(grid, key_header("ledger", part.sheet))[0] :]

        variant(source, folder / path.name, empty, part=part.sheet)
    result = run()
    assert result.success
    for part in SOURCES["ledger"].sheets:
        evaluation = next(
            e
            for e in result.get_asset_check_evaluations()
            if e.asset_key == dg.AssetKey(["raw", part.name])
        )
        assert evaluation.passed
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for part in SOURCES["ledger"].sheets:
            rows = conn.execute(
                f"select count(*) from {part.table} "
                "where month = '2025-06' and superseded_at is null"
            ).fetchall()
            assert rows == [(0,)], part.table
        log = conn.execute(
            "select outcome, rows_read from raw.load_log where source = 'ledger' "
            "order by finished_at desc limit 1"
        ).fetchall()
    assert log == [("loaded", 0)]


def test_an_older_enterprises_file_without_last_years_profit_still_loads(ingest):
    """上年同期1-本月营业利润 came in 2025: a file without it loads, the base left empty (so
    its month has no ENT_PROFIT_YOY: dbt's test_growth_uses_comparable_enterprises_only)."""
    raw, warehouse, run = ingest
    folder = raw / "enterprises"
    folder.mkdir(parents=True)

    def without_the_column(grid: Grid):
        _, c = find_col(grid, "上年同期1-本月营业利润")
        for row in grid:
            del row[c : c + 1]

    variant(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name, without_the_column)
    result = run()
    assert result.success and check_of(result, "enterprises").passed
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select count(*), count(operating_profit_ytd_prior_year_wan_yuan), "
            "count(revenue_ytd_prior_year_wan_yuan) from raw.enterprises "
            "where month = '2025-06' and superseded_at is null"
        ).fetchall()[0]
    assert rows[0] == 455 and rows[1] == 0 and rows[2] > 400


def test_a_file_delivered_again_keeps_its_verdict_until_what_it_rests_on_changes(ingest):
    """June's enterprises file again: not read or validated again, its verdict kept (the
    same key as when it was loaded). May corrected: June's verdict rests on May's file, so the
    same June file is validated again, under a new key."""
    raw, warehouse, run = ingest
    folder = raw / "enterprises"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES["enterprises"], folder / SAMPLES["enterprises"].name)

    def last_attempt(month: str) -> tuple:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            return conn.execute(
                "select outcome, validated_with from raw.load_log where source = 'enterprises' "
                "and month = ? order by finished_at desc limit 1",
                [month],
            ).fetchone()

    first = run()
    assert first.success and check_of(first, "enterprises").passed
    outcome, key = last_attempt("2025-06")
    assert outcome == "unchanged" and key
    kept = run()
    metadata = kept.asset_materializations_for_node("raw__enterprises")[0].metadata
    assert metadata["verdict"].value.startswith("kept") and last_attempt("2025-06") == (
        "unchanged",
        key,
    )
    assert metadata["dagster/row_count"].value == 455

    may = RAW / "enterprises" / "规上生产性服务业企业月报_202505.xlsx"

    def raise_first(grid: Grid):  # May's first enterprise 10 千元 more, its 合计 too
        row = data_rows(grid, "统一社会信用代码")[0]
        total = find_row(grid, "合计")
        for header in ("本月营业收入", "1-本月营业收入"):
            _, c = find_col(grid, header)
            grid[row][c] = number(grid[row][c]) + 10  # in 千元, as written
            grid[total][c] = number(grid[total][c]) + 10

    variant(may, folder / f"{may.stem}_更正.xlsx", raise_first)
    assert run("2025-05").success
    (folder / f"{may.stem}_更正.xlsx").unlink()
    again = run()
    assert again.success
    metadata = again.asset_materializations_for_node("raw__enterprises")[0].metadata
    assert "verdict" not in metadata  # read and validated again
    outcome, new_key = last_attempt("2025-06")
    assert outcome == "unchanged" and new_key != key


def test_a_key_re_typed_is_the_key_it_names(ingest):
    """A project id in lower case, full width and spaced is the project May's file had: it
    loads as that project (no new project, none gone: no G9), under the id as the contract
    writes it."""
    raw, warehouse, run = ingest
    folder = raw / "projects"
    folder.mkdir(parents=True)

    def retype(grid: Grid):
        _, key = find_col(grid, "项目编号")
        for row in data_rows(grid, "项目编号")[:3]:
            grid[row][key] = " ".join(grid[row][key].lower()).replace("-", "－")

    variant(SAMPLES["projects"], folder / SAMPLES["projects"].name, retype)
    result = run()
    assert result.success
    check = check_of(result, "projects")
    assert check.passed, check.metadata
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        june, may = (
            {
                key
                for (key,) in conn.execute(
                    "select project_id from raw.projects where month = ? and superseded_at is null",
                    [month],
                ).fetchall()
            }
            for month in ("2025-06", "2025-05")
        )
    assert june == may and "WJSC-2025-001" in june


def test_a_load_of_a_file_that_expands_past_the_bound_stays_small(tmp_path):
    """The ingestion of one long shared string in 300,000 cells, in a process of its own:
    rejected (G1, naming the bound) with its peak memory that of a load of a small file, not
    the ~30 GB its cells expand to (which took `make run` past 24 GB before the bound)."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    folder = tmp_path / "raw" / "enterprises"
    folder.mkdir(parents=True)
    repeated_string_bomb(folder)
    script = (
        "import dagster as dg\n"
        "from orchestration.definitions import build_definitions\n"
        "job = build_definitions().resolve_job_def('ingest_month')\n"
        "with dg.DagsterInstance.ephemeral() as instance:\n"
        "    result = job.execute_in_process(partition_key='2025-06', instance=instance,\n"
        "                                    raise_on_error=False)\n"
        "failure = next(e for e in result.all_events if e.is_step_failure)\n"
        "print(failure.step_failure_data.user_failure_data.description)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={
            **os.environ,
            "PSW_RAW_DIR": str(tmp_path / "raw"),
            "PSW_WAREHOUSE_PATH": str(tmp_path / "warehouse" / "psw.duckdb"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    assert status == 0, out
    assert out.startswith("REJECTED 规上生产性服务业企业月报_202506.xlsx: G1"), out
    assert "psw reads sheets of at most 256 MB of text" in out, out
    assert usage.ru_maxrss < 1_500_000, usage.ru_maxrss  # KiB: under 1.5 GB (seen: ~370 MB)
