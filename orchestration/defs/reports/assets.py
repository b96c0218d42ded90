"""The monthly report (统计月报 and 运行分析): an asset of each month, after its tables."""

import dagster as dg

from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.release.assets import RELEASE_KEY
from orchestration.lib import settings
from orchestration.lib.publishing.readers import open_published
from orchestration.lib.report import NoReportData, report_dir, write_report


@dg.asset(
    key=["reports", "monthly_report"],
    group_name="reports",
    owners=["team:psw-analytics"],
    partitions_def=monthly_partitions,
    deps=[RELEASE_KEY],
    kinds={"excel", "html"},
    description=(
        "月度报告：统计月报（Excel，各标准表与图表）和运行分析（离线可打开的HTML，文字、图表、"
        "数据质量说明与来源文件），依据对外发布的数据编写，写入 $PSW_REPORT_DIR/<YYYY-MM>/ / The "
        "month's report: the statistical tables (an Excel workbook with native charts) and the "
        "analysis (one self-contained HTML page), written from the release file (so it shows "
        "nothing the release does not hold) under $PSW_REPORT_DIR/<YYYY-MM>/."
    ),
)
def monthly_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    month = context.partition_key
    release = settings.release_path()
    if not release.exists():
        raise dg.Failure(description=f"no release at {release}: `make run` writes it")
    with open_published(release) as conn:
        try:
            files = write_report(conn, month, report_dir(month))
        except NoReportData as error:
            raise dg.Failure(description=f"no report for {month}: {error}") from error
    context.log.info(f"report for {month}: {files.workbook} and {files.analysis}")
    return dg.MaterializeResult(
        metadata={
            "workbook": dg.MetadataValue.path(str(files.workbook)),
            "analysis": dg.MetadataValue.path(str(files.analysis)),
            "headline": dg.MetadataValue.md(files.headline_markdown),
            "data_quality_notes": len(files.quality_notes),
            **{f"rows/{sheet}": count for sheet, count in files.sheet_rows.items()},
            "dagster/row_count": sum(files.sheet_rows.values()),
        }
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[monthly_report])
