import dagster as dg

from orchestration.defs.ingest.checks import freshness_checks
from orchestration.defs.jobs import monthly_load_job, release_job
from orchestration.lib import settings
from orchestration.lib.release import draft
from orchestration.lib.release.register import beijing

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


@dg.schedule(
    name="release_on_calendar",
    job=release_job,
    cron_schedule="*/10 * * * *",
    execution_timezone="Asia/Shanghai",
    description=(
        "每10分钟检查发布日程：已审签且到达发布时间的月份即行发布 / Every 10 minutes: publish "
        "each approved month whose release time has come (at once when it has passed)."
    ),
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def release_on_calendar(context: dg.ScheduleEvaluationContext):
    now = settings.now()
    states = draft.month_states(settings.drafts_dir())
    due = [s for _, s in sorted(states.items()) if s.due(now)]
    if due:
        return dg.RunRequest(
            run_key="release " + " ".join(f"{s.month}v{s.version}:{s.fingerprint}" for s in due)
        )
    waiting = [s for s in states.values() if s.state != "released"]
    if not waiting:
        return dg.SkipReason("every drafted month is released")
    first = min(waiting, key=lambda s: s.release_at)
    return dg.SkipReason(
        f"nothing due: {first.month} is {first.state} (release time {beijing(first.release_at)})"
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        jobs=[freshness_job],
        schedules=[monthly_load_schedule, freshness_schedule, release_on_calendar],
    )
