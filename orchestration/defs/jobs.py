import dagster as dg

from orchestration.defs.dbt.assets import psw_dbt_models
from orchestration.defs.ingest.assets import ingest_assets
from orchestration.defs.release.assets import release_draft, release_published
from orchestration.defs.reports.assets import monthly_report

# A month end to end: every spreadsheet of the month, the dbt models for it, the release's
# draft and its report; then whatever approved month's time has come is published.
monthly_load_job = dg.define_asset_job(
    "monthly_load",
    selection=dg.AssetSelection.assets(
        *ingest_assets, psw_dbt_models, release_draft, monthly_report, release_published
    ),
    description=(
        "月度全流程：读入当月报表、构建指标、写出发布草稿并编写月报，发布已审签且到时的月份 / "
        "Load a month's spreadsheets, build the indicators, write the release's draft and the "
        "month's report, and publish every approved month whose time has come."
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

# The draft is written from the published warehouse, then the bureau's report from the
# draft: the report can show nothing the release will not hold.
report_job = dg.define_asset_job(
    "monthly_report",
    selection=dg.AssetSelection.assets(release_draft, monthly_report),
    description=(
        "写出发布草稿并据此编写一个月的统计月报和运行分析（供审核）/ Write the release's "
        "draft, then one month's tables and analysis from it, for review."
    ),
)

# Publishing on the calendar: the schedule runs it; `make run` after the samples' sign-off.
release_job = dg.define_asset_job(
    "release",
    selection=dg.AssetSelection.assets(release_published),
    description=(
        "发布已审签且到达发布时间的月份 / Publish every approved month whose release time "
        "has come, each as its next version."
    ),
)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        jobs=[monthly_load_job, ingest_job, transform_job, report_job, release_job]
    )
