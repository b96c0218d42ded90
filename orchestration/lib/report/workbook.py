"""The monthly statistical tables (统计月报) as an Excel workbook, laid out as the departments
lay out theirs: merged title with the period, unit line, header, 合计 row, 注 footnotes,
frozen panes, number formats, A4 landscape fitted to the width; and a sheet of native charts."""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter

from orchestration.lib.report.data import Report
from orchestration.lib.report.tables import FLAG, HELD, TEXT, Table, decimals, shown

CHART_SHEET = "图表"
FIRST_DATA_ROW = 3  # title, unit line, header


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        cell = base | {"border": 1}
        self.title = book.add_format(base | {"bold": True, "font_size": 16, "align": "center"})
        self.unit = book.add_format(base | {"align": "right"})
        self.header = book.add_format(
            cell | {"bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        )
        self.note = book.add_format(base | {"font_size": 9})
        self._cache: dict[tuple, xlsxwriter.format.Format] = {}
        self._book, self._cell = book, cell

    def cell(self, kind: str, places: int, total: bool, alert: bool):
        key = (kind, places, total, alert)
        if key not in self._cache:
            props = dict(self._cell)
            if kind == TEXT:
                props |= {"align": "left", "text_wrap": True}
            elif kind == FLAG:
                props |= {"align": "center"}
            else:
                props |= {"num_format": "#,##0" + ("." + "0" * places if places else "")}
            if total:
                props |= {"bold": True, "bg_color": "#F2F2F2"}
            if alert:
                props |= {"font_color": "#C00000"}
            self._cache[key] = self._book.add_format(props)
        return self._cache[key]


def _write_table(book, formats: _Formats, table: Table, signoff=None) -> dict[str, int]:
    """One standard table on its own sheet; returns each field's column."""
    spec = table.spec
    sheet = book.add_worksheet(spec.sheet)
    last = len(spec.columns) - 1
    sheet.merge_range(0, 0, 0, last, table.title, formats.title)
    sheet.set_row(0, 28)
    sheet.merge_range(1, 0, 1, last, spec.unit_line, formats.unit)
    for col, column in enumerate(spec.columns):
        sheet.write_string(2, col, column.header, formats.header)
        sheet.set_column(col, col, column.width)
    sheet.set_row(2, 30)

    rows, summary = table.shown_rows, len(table.summary_rows)
    for offset, values in enumerate(rows):
        total = offset < summary
        alert = bool(values.get("is_behind_schedule")) and not total
        for col, column in enumerate(spec.columns):
            places = decimals(column, values)
            fmt = formats.cell(column.kind, places, total, alert)
            value = values.get(column.field)
            if value is None or column.kind in (TEXT, FLAG) or shown(column, values) == HELD:
                sheet.write_string(FIRST_DATA_ROW + offset, col, shown(column, values), fmt)
            else:
                sheet.write_number(FIRST_DATA_ROW + offset, col, float(value), fmt)
    note_row = FIRST_DATA_ROW + len(rows) + 1
    for i, note in enumerate(table.notes):
        sheet.write_string(note_row + i, 0, ("注：" if i == 0 else "　　") + note, formats.note)
    if signoff is not None:
        sheet.write_string(note_row + len(table.notes) + 1, 0, signoff.line(), formats.note)

    sheet.freeze_panes(FIRST_DATA_ROW, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 2)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    return {c.field: i for i, c in enumerate(spec.columns)}


def write_workbook(report: Report, path: Path) -> dict[str, int]:
    """Write the workbook; returns the data rows (合计 included) of each sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    counts = {}
    # built in memory and written in one `with`: a full disk is one error of this step, not
    # a zip file that fails again as the collector closes it
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {
            "title": f"武进区生产性服务业统计月报（{report.ytd_label}）",
            "author": "psw",
            "company": "武进区生产性服务业发展工作专班",
        }
    )
    formats = _Formats(book)
    layout = {}
    for key, table in report.tables.items():
        layout[key] = _write_table(book, formats, table, report.signoff)
        counts[table.spec.sheet] = len(table.shown_rows)
    counts[CHART_SHEET] = _write_charts(book, formats, report, layout)
    book.close()
    with open(path, "wb") as handle:
        handle.write(buffer.getbuffer())
    return counts


def _write_charts(book, formats: _Formats, report: Report, layout: dict) -> int:
    """Native Excel charts; their data stands in a small table on the same sheet (or in the
    standard table they draw). Returns the number of charts."""
    sheet = book.add_worksheet(CHART_SHEET)
    sheet.merge_range(
        0, 0, 0, 12, f"武进区生产性服务业主要指标图表（{report.ytd_label}）", formats.title
    )
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 3, 13)
    header = formats.header
    number = formats.cell("dec1", 1, False, False)
    text = formats.cell(TEXT, 0, False, False)
    charts = 0

    # 1: revenue growth month by month against the target
    row = 2
    sheet.write_row(row, 0, ["月份", "累计增速（%）", "目标（%）"], header)
    for i, (month, value, target) in enumerate(report.growth_by_month, start=1):
        sheet.write_string(row + i, 0, f"1-{month}" if month != "1月" else month, text)
        sheet.write_number(row + i, 1, value, number)
        if target is not None:
            sheet.write_number(row + i, 2, target, number)
    last = row + len(report.growth_by_month)
    if report.growth_by_month:
        chart = book.add_chart({"type": "line"})
        chart.add_series(
            {
                "name": "营业收入累计增速",
                "categories": [CHART_SHEET, row + 1, 0, last, 0],
                "values": [CHART_SHEET, row + 1, 1, last, 1],
                "marker": {"type": "circle"},
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
        chart.add_series(
            {
                "name": "全年目标",
                "categories": [CHART_SHEET, row + 1, 0, last, 0],
                "values": [CHART_SHEET, row + 1, 2, last, 2],
                "line": {"dash_type": "dash", "color": "#C00000"},
            }
        )
        chart.set_title({"name": "规上生产性服务业企业营业收入累计增速（%）"})
        chart.set_legend({"position": "bottom"})
        sheet.insert_chart(2, 5, chart, {"x_scale": 1.3, "y_scale": 1.1})
        charts += 1

    # 2: growth by industry section, from the 分行业门类 sheet itself
    sections = report.tables.get("enterprises_by_industry_section")
    if sections and sections.rows:
        columns = layout["enterprises_by_industry_section"]
        first = FIRST_DATA_ROW + (1 if sections.total else 0)
        end = first + len(sections.rows) - 1
        name = sections.spec.sheet
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "营业收入同比增长（%）",
                "categories": [
                    name,
                    first,
                    columns["scope_name_zh"],
                    end,
                    columns["scope_name_zh"],
                ],
                "values": [
                    name,
                    first,
                    columns["revenue_yoy_pct"],
                    end,
                    columns["revenue_yoy_pct"],
                ],
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
        chart.set_title({"name": "分行业门类营业收入增速（%）"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        sheet.insert_chart(20, 5, chart, {"x_scale": 1.3, "y_scale": 1.1})
        charts += 1

    # 3: investment against 序时进度 by board
    boards = report.scopes("PRJ_INV_RATE", "board")
    row = 20
    sheet.write_row(row, 0, ["板块", "完成率（%）", "序时进度（%）"], header)
    for i, board in enumerate(boards, start=1):
        sheet.write_string(row + i, 0, board["scope_name_zh"], text)
        sheet.write_number(row + i, 1, board["display_value"], number)
        sheet.write_number(row + i, 2, board["display_target_value"] or 0, number)
    if boards:
        last = row + len(boards)
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "年度投资完成率",
                "categories": [CHART_SHEET, row + 1, 0, last, 0],
                "values": [CHART_SHEET, row + 1, 1, last, 1],
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": "序时进度",
                "categories": [CHART_SHEET, row + 1, 0, last, 0],
                "values": [CHART_SHEET, row + 1, 2, last, 2],
                "line": {"dash_type": "dash", "color": "#C00000"},
                "marker": {"type": "none"},
            }
        )
        chart.combine(line)
        chart.set_title({"name": "分板块重点项目投资完成率与序时进度（%）"})
        chart.set_legend({"position": "bottom"})
        sheet.insert_chart(38, 5, chart, {"x_scale": 1.3, "y_scale": 1.5})
        charts += 1
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 1)
    return charts
