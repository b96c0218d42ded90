-- Key-project indicators, declared once as their terms: one row per contribution, citing its
-- cell, by district, board and project level (int_indicator_values sums them).
{%- set scopes = [('board', 'board_code'), ('project_level', 'project_level_code')] %}
{%- set terms = [
    ('PRJ_COUNT', 'sum', 1, none, "'project_id'", none),
    ('PRJ_INV_TOTAL', 'sum', 1, 'total_investment_wan_yuan', "'total_investment_wan_yuan'", none),
    ('PRJ_PLAN_YEAR', 'sum', 1, 'plan_year_wan_yuan', "'plan_year_wan_yuan'", none),
    ('PRJ_INV_YTD', 'sum', 1, 'invested_ytd_wan_yuan', "'invested_ytd_wan_yuan'", none),
    ('PRJ_INV_RATE', 'numerator', 1, 'invested_ytd_wan_yuan', "'invested_ytd_wan_yuan'", none),
    ('PRJ_INV_RATE', 'denominator', 1, 'plan_year_wan_yuan', "'plan_year_wan_yuan'", none),
    ('PRJ_INV_AHEAD', 'numerator', 1, 'invested_ytd_wan_yuan', "'invested_ytd_wan_yuan'", none),
    ('PRJ_INV_AHEAD', 'denominator', 1, 'plan_year_wan_yuan', "'plan_year_wan_yuan'", none),
    ('PRJ_START_RATE', 'numerator', 1, none, "'construction_status'", 'is_started'),
    ('PRJ_START_RATE', 'denominator', 1, none, "'project_id'", none),
    ('PRJ_IN_USE_COUNT', 'sum', 1, none, "'construction_status'", 'is_in_use'),
] %}
with

projects as (select * from {{ ref('fct_project_progress') }}),

scoped as (
    {{ scoped_rows('projects', 'month_date', scopes) }}
),

-- 超序时进度 is the share invested minus the share of the year gone (序时进度)
schedule as (

    select distinct
        'PRJ_INV_AHEAD' as indicator_code,
        period,
        scope_type,
        scope_code,
        'offset' as term,
        -month(period) / cast(12 as double) * 100 as contribution,
        {{ no_cell('projects') }}
        cast(null as string) as ranked_scope_code
    from scoped

)

{{ contributions('scoped', 'projects', terms) }}
union all
select * from schedule
union all
{{ frame('scoped', ['PRJ_IN_USE_COUNT'], 'projects') }}
