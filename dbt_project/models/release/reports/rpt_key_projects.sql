-- 表5 重点项目: every key project of the month with its plan, investment to date and share of
-- the plan against 序时进度 (a project below it is behind schedule); the district's figures
-- as the 合计 row.
with

progress as (select * from {{ ref('fct_project_progress') }}),

projects as (select * from {{ ref('dim_project') }}),

boards as (select * from {{ ref('dim_board') }}),

levels as (
    select * from {{ ref('dim_scope') }}
    where scope_type = 'project_level'
),

statuses as (select * from {{ ref('dim_construction_status') }}),

months as (select * from {{ ref('dim_month') }}),

district_values as (
    select * from {{ ref('indicator_value_labelled') }}
    where scope_type = 'district'
        and indicator_code in ('PRJ_COUNT', 'PRJ_INV_TOTAL', 'PRJ_PLAN_YEAR', 'PRJ_INV_YTD', 'PRJ_INV_RATE')
),

project_rows as (

    select
        progress.month_date as period,
        false as is_total,
        cast(row_number() over (
            partition by progress.month_date order by levels.scope_order, progress.project_id
        ) as bigint) as line_number,
        progress.project_id,
        projects.project_name,
        boards.board_name,
        levels.scope_name_zh as level_name,
        statuses.status_name,
        {{ round_to('progress.total_investment_wan_yuan / 10000', 2) }} as total_investment_yi_yuan,
        {{ round_to('progress.plan_year_wan_yuan / 10000', 2) }} as plan_year_yi_yuan,
        {{ round_to('progress.invested_ytd_wan_yuan / 10000', 2) }} as invested_ytd_yi_yuan,
        {{ round_to('progress.invested_ytd_wan_yuan / nullif(progress.plan_year_wan_yuan, 0) * 100', 1) }}
            as plan_share_pct,
        {{ round_to('months.time_schedule_pct', 1) }} as time_schedule_pct,
        {{ round_to('progress.invested_ytd_wan_yuan / nullif(progress.plan_year_wan_yuan, 0) * 100', 6) }}
        < {{ round_to('months.time_schedule_pct', 6) }} as is_behind_schedule,
        progress.progress_note
    from progress
    inner join projects on progress.project_id = projects.project_id
    inner join months on progress.month_date = months.month_date
    left join boards on progress.board_code = boards.board_code
    left join levels on progress.project_level_code = levels.scope_code
    left join statuses on progress.status_code = statuses.status_code

),

total_rows as (

    select
        district_values.period,
        true as is_total,
        0 as line_number,
        null as project_id,
        '合计（'
        || cast(
            max(district_values.value) filter (where district_values.indicator_code = 'PRJ_COUNT')
            as integer
        )
        || '个）' as project_name,
        null as board_name,
        null as level_name,
        null as status_name,
        max(district_values.display_value)
        filter (where district_values.indicator_code = 'PRJ_INV_TOTAL')
            as total_investment_yi_yuan,
        max(district_values.display_value)
        filter (where district_values.indicator_code = 'PRJ_PLAN_YEAR') as plan_year_yi_yuan,
        max(district_values.display_value)
        filter (where district_values.indicator_code = 'PRJ_INV_YTD') as invested_ytd_yi_yuan,
        max(district_values.display_value)
        filter (where district_values.indicator_code = 'PRJ_INV_RATE') as plan_share_pct,
        {{ round_to('max(months.time_schedule_pct)', 1) }} as time_schedule_pct,
        not bool_and(district_values.target_met)
        filter (where district_values.indicator_code = 'PRJ_INV_RATE')
            as is_behind_schedule,
        null as progress_note
    from district_values
    inner join months on district_values.period = months.month_date
    group by district_values.period

)

select * from project_rows
union all
select * from total_rows
