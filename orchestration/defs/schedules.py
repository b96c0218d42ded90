import dagster as dg

from orchestration.defs.ingest.checks import freshness_checks
from orchestration.defs.jobs import monthly_load_job

# The 10th of each month at 08:00 (Asia/Shanghai, the partitions' timezone): last month's
# files are in by then, and the run loads that month's partition.
monthly_load_schedule = dg.build_schedule_from_partitioned_job(
    monthly_load_job,
    name="monthly_load_schedule",
    description="每月10日08:00载入上月数据 / On the 10th at 08:00, load the previous month.",
    day_of_month=10,
    hour_of_day=8,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

freshness_job = dg.define_asset_job(
    "freshness",
    selection=dg.AssetSelection.checks(*freshness_checks),
    description="检查各部门报表是否按时报送 / Check that every department's file has arrived.",
)

freshness_schedule = dg.ScheduleDefinition(
    name="freshness_schedule",
    job=freshness_job,
    cron_schedule="0 9 * * *",
    execution_timezone="Asia/Shanghai",
    description="每天09:00检查报表是否逾期 / Every day at 09:00, check for overdue files.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        jobs=[freshness_job], schedules=[monthly_load_schedule, freshness_schedule]
    )
