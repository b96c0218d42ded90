-- 统计数据发布日程 as published, in advance: when each month's figures are released, and who
-- signs them (撰稿 / 审核 / 审签).
select
    month_key,
    release_at_beijing,
    release_at_utc,
    drafter,
    reviewer,
    approver
from {{ ref('dim_release_calendar') }}
