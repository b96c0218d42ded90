"""The monthly report (统计月报 and 运行分析): an asset of each month, after its tables."""

import dagster as dg
import duckdb

from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.lib.report import NoReportData, report_dir, write_report

# the dbt models the report lays out (models/marts/reports) and the indicator table it quotes
REPORT_TABLES = (
    "rpt_headline_indicators",
    "rpt_enterprises_by_scope",
    "rpt_key_projects",
    "rpt_clusters",
    "rpt_survey_services",
    "fct_indicator_value_labelled",
)


@dg.asset(
    key=["reports", "monthly_report"],
    group_name="reports",
    owners=["team:psw-analytics"],
    partitions_def=monthly_partitions,
    deps=[dg.AssetKey(["marts", name]) for name in REPORT_TABLES],
    kinds={"excel", "html"},
    description=(
        "月度报告：统计月报（Excel，各标准表与图表）和运行分析（离线可打开的HTML，文字、图表、"
        "数据质量说明与来源文件），写入 $PSW_REPORT_DIR/<YYYY-MM>/ / The month's report: the "
        "statistical tables (an Excel workbook with native charts) and the analysis (one "
        "self-contained HTML page), written under $PSW_REPORT_DIR/<YYYY-MM>/."
    ),
)
def monthly_report(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    month = context.partition_key
    # the run's own copy: in a monthly load, the tables dbt has just built
    with duckdb.connect(warehouse.database, read_only=True) as conn:
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
