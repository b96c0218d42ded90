"""The monthly report (统计月报 and 运行分析): an asset of each month, after its tables."""

import dagster as dg

from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.release.assets import DRAFT_KEY
from orchestration.lib import settings
from orchestration.lib.publishing.readers import open_published
from orchestration.lib.release.draft import DRAFT_NAME
from orchestration.lib.report import NoReportData, report_dir, write_report


@dg.asset(
    key=["reports", "monthly_report"],
    group_name="reports",
    owners=["team:psw-analytics"],
    partitions_def=monthly_partitions,
    deps=[DRAFT_KEY],
    kinds={"excel", "html", "word"},
    description=(
        "月度报告：统计月报（Excel，各标准表与图表）和运行分析（离线可打开的HTML，文字、图表、"
        "数据质量说明与来源文件），依据发布草稿编写，供审核，写入 $PSW_REPORT_DIR/<YYYY-MM>/；"
        "发布时另据发布版本编写，附审签 / The month's report: the statistical tables (an Excel "
        "workbook with native charts) and the analysis (one self-contained HTML page), written "
        "from the release's draft (so it shows nothing the release will not hold) for review, "
        "under $PSW_REPORT_DIR/<YYYY-MM>/; each released version gets its own, signed, in its "
        "release folder."
    ),
)
def monthly_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    month = context.partition_key
    draft = settings.drafts_dir() / DRAFT_NAME
    if not draft.exists():
        raise dg.Failure(description=f"no draft release at {draft}: `make run` writes it")
    with open_published(draft) as conn:
        try:
            files = write_report(conn, month, report_dir(month))
        except NoReportData as error:
            raise dg.Failure(description=f"no report for {month}: {error}") from error
    context.log.info(f"report for {month}: {files.workbook} and {files.analysis}")
    return dg.MaterializeResult(
        metadata={
            "workbook": dg.MetadataValue.path(str(files.workbook)),
            "analysis": dg.MetadataValue.path(str(files.analysis)),
            "document": dg.MetadataValue.path(str(files.document)),
            **({"pdf": dg.MetadataValue.path(str(files.pdf))} if files.pdf else {}),
            "headline": dg.MetadataValue.md(files.headline_markdown),
            "data_quality_notes": len(files.quality_notes),
            **{f"rows/{sheet}": count for sheet, count in files.sheet_rows.items()},
            "dagster/row_count": sum(files.sheet_rows.values()),
        }
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[monthly_report])
