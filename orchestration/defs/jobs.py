import dagster as dg

from orchestration.defs.dbt.assets import psw_dbt_models
from orchestration.defs.ingest.assets import ingest_assets
from orchestration.defs.release.assets import psw_release
from orchestration.defs.reports.assets import monthly_report

# A month end to end: every spreadsheet of the month, the dbt models for it, the release,
# its report.
monthly_load_job = dg.define_asset_job(
    "monthly_load",
    selection=dg.AssetSelection.assets(*ingest_assets, psw_dbt_models, psw_release, monthly_report),
    description=(
        "月度全流程：读入当月报表、构建指标与对外发布的数据并编写月报 / Load a month's "
        "spreadsheets, build the indicators and the release, and write the month's report."
    ),
)

# The two halves, for loading many months: each month ingested in order, then one dbt build
# over the whole range (BackfillPolicy.single_run).
ingest_job = dg.define_asset_job(
    "ingest_month",
    selection=dg.AssetSelection.assets(*ingest_assets),
    description="读入一个月的报表 / Read and write one month's spreadsheets.",
)
transform_job = dg.define_asset_job(
    "transform",
    selection=dg.AssetSelection.assets(psw_dbt_models),
    description=(
        "构建数仓与指标 / dbt build of the warehouse and indicators over a range of months."
    ),
)

# The release is written from the published warehouse, then the report from the release: the
# report can show nothing the release does not hold, and is never older than it.
report_job = dg.define_asset_job(
    "monthly_report",
    selection=dg.AssetSelection.assets(psw_release, monthly_report),
    description=(
        "写出对外发布的数据并编写一个月的统计月报和运行分析 / Write the release, then one "
        "month's tables and analysis from it."
    ),
)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(jobs=[monthly_load_job, ingest_job, transform_job, report_job])
