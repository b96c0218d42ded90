-- 表6 集聚区: every cluster's figures of the month, the district's as the 合计 row, and the
-- provincial clusters' as its 其中：省级 row (the source document reports them).
with

zone_months as (select * from {{ ref('fct_zone_monthly') }}),

zones as (select * from {{ ref('dim_zone') }}),

zone_order as (
    select * from {{ ref('dim_scope') }}
    where scope_type = 'zone'
),

district_values as (
    select * from {{ ref('indicator_value_labelled') }}
    where scope_type = 'district' and indicator_code like 'ZONE!_%' escape '!'
),

provincial_values as (
    select * from {{ ref('indicator_value_labelled') }}
    where scope_type = 'zone_level' and scope_code = '省级'
),

zone_rows as (

    select
        zone_months.month_date as period,
        false as is_total,
        false as is_subtotal,
        zone_order.scope_order as line_number,
        zone_months.zone_code,
        zones.zone_name,
        zones.zone_level,
        zones.board_name,
        {{ round_to('zone_months.invested_ytd_wan_yuan / 10000', 2) }} as invested_ytd_yi_yuan,
        {{ round_to('zone_months.revenue_ytd_wan_yuan / 10000', 2) }} as revenue_ytd_yi_yuan,
        {{ round_to('zone_months.profit_ytd_wan_yuan / 10000', 2) }} as profit_ytd_yi_yuan,
        {{ round_to('zone_months.tax_ytd_wan_yuan / 10000', 2) }} as tax_ytd_yi_yuan,
        zone_months.enterprise_count,
        zone_months.above_scale_count
    from zone_months
    inner join zones on zone_months.zone_code = zones.zone_code
    left join zone_order on zone_months.zone_code = zone_order.scope_code

),

total_rows as (

    select
        period,
        true as is_total,
        false as is_subtotal,
        0 as line_number,
        null as zone_code,
        '合计' as zone_name,
        null as zone_level,
        null as board_name,
        {{ cluster_figures() }}
    from district_values
    group by period

),

subtotal_rows as (

    select
        period,
        false as is_total,
        true as is_subtotal,
        null as line_number,
        null as zone_code,
        '其中：省级' as zone_name,
        '省级' as zone_level,
        null as board_name,
        {{ cluster_figures() }}
    from provincial_values
    group by period

)

select * from zone_rows
union all
select * from total_rows
union all
select * from subtotal_rows
