"""The analysis as a Word document (运行分析, .docx), laid out as a 公文 (GB/T 9704): A4 with
its margins, the title in 小标宋 二号, the issuing body and date, the body in 仿宋 三号 on a
28-point line, headings 一、二、… in 黑体, the charts as pictures, the standard tables as Word
tables, and 撰稿 / 审核 / 审签 at its foot.

The bureau's fonts are named where this machine has them (so that a PDF made here renders
with them); where it has not, an installed CJK font of the same kind stands in.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from orchestration.lib.report.charts import Chart, cjk_fonts
from orchestration.lib.report.data import Report
from orchestration.lib.report.paragraphs import analysis
from orchestration.lib.report.tables import FLAG, TEXT, Table, shown

# each kind of type: the bureau's font first, then what may stand in for it
TITLE = ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "SimSun", "Noto Serif CJK SC")
BODY = ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC")
HEADING = ("黑体", "SimHei", "Noto Sans CJK SC")
SUBTITLE = ("楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC")
TABLE = ("宋体", "SimSun", "Noto Serif CJK SC")
NUMERALS = "一二三四五六七八九十"


@cache
def font(kind: tuple[str, ...]) -> str:
    """The first of the kind this machine has; the bureau's own name where it has none."""
    installed = set().union(*cjk_fonts().values())
    return next((name for name in kind if name in installed), kind[0])


def _run(paragraph, text: str, kind: tuple[str, ...], size: float, bold: bool = False):
    run = paragraph.add_run(text)
    name = font(kind)
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _paragraph(doc, text: str = "", kind=BODY, size: float = 16, align=None, indent=True):
    paragraph = doc.add_paragraph()
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(28 if size >= 14 else 18)
    form.space_before = form.space_after = Pt(0)
    if indent:
        form.first_line_indent = Pt(2 * size)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, kind, size)
    return paragraph


def write_document(report: Report, drawn: list[tuple[str, Chart]], path: Path) -> dict:
    """Write the .docx; returns what it holds (paragraphs, tables, pictures)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    for line in ("武进区生产性服务业运行分析", f"（{report.ytd_label}）"):
        title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=22)
        title.paragraph_format.line_spacing = Pt(36)
        _run(title, line, TITLE, 22)
    signoff = report.signoff
    _paragraph(doc, indent=False)
    _paragraph(
        doc, "武进区生产性服务业发展工作专班　武进区统计局", SUBTITLE, 16,
        WD_ALIGN_PARAGRAPH.CENTER, indent=False,
    )  # fmt: skip
    if signoff and signoff.release_at:
        _paragraph(
            doc, f"{signoff.release_at:%Y年%-m月%-d日}", SUBTITLE, 16,
            WD_ALIGN_PARAGRAPH.CENTER, indent=False,
        )  # fmt: skip
    if signoff is not None and signoff.version is None:
        _paragraph(
            doc, "（草稿，未经审签，不得对外发布）", HEADING, 14, WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )  # fmt: skip
    _paragraph(doc, indent=False)

    sections = analysis(report)
    for number, (heading, paragraphs) in enumerate(sections):
        _paragraph(doc, f"{NUMERALS[number]}、{heading}", HEADING, 16, indent=True)
        for text in paragraphs:
            _paragraph(doc, text)

    pictures = 0
    if drawn:
        _paragraph(doc, f"{NUMERALS[len(sections)]}、图表", HEADING, 16)
        for caption, chart in drawn:
            holder = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            holder.add_run().add_picture(io.BytesIO(chart.png), width=Cm(15.5))
            pictures += 1
            _paragraph(doc, caption, SUBTITLE, 14, WD_ALIGN_PARAGRAPH.CENTER, indent=False)

    _paragraph(doc, f"{NUMERALS[len(sections) + 1]}、数据质量说明", HEADING, 16)
    for note in report.quality_notes or ["本月各部门报表均已入库，校验未发现问题。"]:
        _paragraph(doc, note)

    _paragraph(doc, f"{NUMERALS[len(sections) + 2]}、统计表", HEADING, 16)
    for table in report.tables.values():
        _table(doc, table)

    if signoff is not None:
        _paragraph(doc, indent=False)
        _paragraph(doc, signoff.line(), SUBTITLE, 14, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
    return {"tables": len(report.tables), "pictures": pictures}


def _table(doc, table: Table) -> None:
    """One standard table: its title, unit line, header, 合计 and 其中 rows, rows, notes."""
    spec = table.spec
    _paragraph(doc, table.title, HEADING, 12, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, spec.unit_line, TABLE, 10.5, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    rows, summary = table.shown_rows, len(table.summary_rows)
    grid = doc.add_table(rows=1 + len(rows), cols=len(spec.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    # the columns share the text width as the workbook's widths do: the grid (which
    # LibreOffice reads) and each cell (which Word reads); a row's cells are read once, as
    # python-docx's cell(row, column) walks the whole table each time
    share = [column.width for column in spec.columns]
    widths = [Cm(15.6 * width / sum(share)) for width in share]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for offset, (row, values) in enumerate(zip(grid.rows, [None, *rows], strict=True)):
        for cell, column, width in zip(row.cells, spec.columns, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            if values is None:
                _run(paragraph, column.header, HEADING, 9)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                continue
            _run(paragraph, shown(column, values), TABLE, 9, bold=offset <= summary)
            numeric = column.kind not in (TEXT, FLAG)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
    for i, note in enumerate(table.notes):
        _paragraph(doc, ("注：" if i == 0 else "　　") + note, TABLE, 9, indent=False)
    _paragraph(doc, indent=False)
