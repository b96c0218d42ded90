"""The monthly report: the statistical tables (统计月报, an Excel workbook) and the analysis
(运行分析, one self-contained HTML file, and the same as a Word document laid out as a 公文,
and as PDF where LibreOffice is installed), written from the release's tables for one month."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib import settings
from orchestration.lib.report.charts import charts
from orchestration.lib.report.data import NoReportData, Report, load_report
from orchestration.lib.report.document import write_document
from orchestration.lib.report.page import render
from orchestration.lib.report.pdf import to_pdf
from orchestration.lib.report.tables import shown
from orchestration.lib.report.workbook import write_workbook

__all__ = ["NoReportData", "ReportFiles", "report_dir", "write_report"]


@dataclass(frozen=True)
class ReportFiles:
    month: str
    workbook: Path
    analysis: Path
    document: Path
    pdf: Path | None  # None where LibreOffice is not installed, or PSW_REPORT_PDF=0
    sheet_rows: dict[str, int]
    headline_markdown: str
    quality_notes: list[str]


def report_dir(month: str) -> Path:
    """$PSW_REPORT_DIR/<YYYY-MM> (default: warehouse/reports/<YYYY-MM>, beside the warehouse)."""
    return settings.reports_dir() / month


def file_names(report: Report) -> tuple[str, str, str]:
    label = report.month_label
    return (
        f"武进区生产性服务业统计月报_{label}.xlsx",
        f"武进区生产性服务业运行分析_{label}.html",
        f"武进区生产性服务业运行分析_{label}.docx",
    )


def headline_markdown(report: Report) -> str:
    table = report.tables["headline"]
    columns = table.spec.columns
    lines = [
        f"**{table.title}**",
        "",
        "| " + " | ".join(c.header for c in columns) + " |",
        "| " + " | ".join("---" if c.kind == "text" else "---:" for c in columns) + " |",
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(shown(c, row) or " " for c in columns) + " |")
    return "\n".join(lines)


def write_report(conn: duckdb.DuckDBPyConnection, month: str, out_dir: Path) -> ReportFiles:
    """Write the month's workbook, analysis and its Word document into `out_dir`, each
    replaced atomically."""
    report = load_report(conn, month)
    workbook_name, analysis_name, document_name = file_names(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    workbook, analysis = out_dir / workbook_name, out_dir / analysis_name
    document = out_dir / document_name
    partial = out_dir / f".{workbook_name}.partial"
    counts = write_workbook(report, partial)
    partial.replace(workbook)
    drawn = charts(report)  # once, for the page (SVG) and the document (PNG)
    partial = out_dir / f".{analysis_name}.partial"
    partial.write_text(render(report, drawn), encoding="utf-8")
    partial.replace(analysis)
    partial = out_dir / f".{document_name}.partial"
    write_document(report, drawn, partial)
    partial.replace(document)
    pdf = to_pdf([document]) if settings.report_pdf() else []
    return ReportFiles(
        month=month,
        workbook=workbook,
        analysis=analysis,
        document=document,
        pdf=pdf[0] if pdf else None,
        sheet_rows=counts,
        headline_markdown=headline_markdown(report),
        quality_notes=report.quality_notes,
    )
