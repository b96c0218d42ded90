-- 统计数据发布日程: each month's release time and who signs it (撰稿 / 审核 / 审签). A month
-- the calendar does not set is released on the 15th of the following month at 10:00. Times
-- are Beijing time (Asia/Shanghai: UTC+8 all year, no daylight saving since 1991), and in UTC
-- beside it, the time the warehouse keeps.
with

months as (select * from {{ ref('dim_month') }}),

calendar as (select * from {{ ref('ref_release_calendar') }}),

scheduled as (

    select
        months.month_date,
        months.month_key,
        coalesce(
            calendar.release_at,
            months.month_date + interval 1 month + interval 14 day + interval 10 hour
        ) as release_at_beijing,
        calendar.release_at is not null as is_set_by_calendar,
        calendar.drafter,
        calendar.reviewer,
        calendar.approver
    from months
    left join calendar on months.month_key = calendar.month

)

select
    month_date,
    month_key,
    release_at_beijing,
    release_at_beijing - interval 8 hour as release_at_utc,
    is_set_by_calendar,
    drafter,
    reviewer,
    approver
from scheduled
