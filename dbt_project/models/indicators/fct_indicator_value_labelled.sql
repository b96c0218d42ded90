-- The indicator table as people read it: names, the period as it is written, the value in
-- the unit people use, the same period a year earlier (同比), the gap to the target and the
-- rank among scopes of the same type. Analysts and the monthly report read this model.
with

indicator_values as (select * from {{ ref('fct_indicator_value') }}),
catalogue as (select * from {{ ref('dim_indicator') }}),
scopes as (select * from {{ ref('dim_scope') }}),

compared as (

    select
        this_year.*,
        year_earlier.value as value_year_earlier
    from indicator_values as this_year
    left join indicator_values as year_earlier
        on this_year.indicator_code = year_earlier.indicator_code
        and this_year.scope_type = year_earlier.scope_type
        and this_year.scope_code = year_earlier.scope_code
        and this_year.period - interval 12 month = year_earlier.period

),

labelled as (

    select
        compared.*,
        catalogue.indicator_name_zh,
        catalogue.indicator_name_en,
        catalogue.period_kind,
        catalogue.decimals,
        catalogue.display_unit,
        catalogue.display_decimals,
        scopes.scope_name_zh,
        scopes.scope_name_en,
        -- a share or a growth rate changes by 百分点; a level by %
        compared.unit in ('%', '百分点') as changes_in_points,
        catalogue.display_factor
    from compared
    inner join catalogue on compared.indicator_code = catalogue.indicator_code
    left join scopes
        on compared.scope_type = scopes.scope_type
        and compared.scope_code = scopes.scope_code

)

select
    indicator_code,
    indicator_name_zh,
    indicator_name_en,
    period,
    period_kind,
    case
        when period_kind = 'wave'
            then year(period) || '年' || if(month(period) <= 6, '上半年', '下半年')
        when period_kind = 'ytd' and month(period) > 1
            then year(period) || '年1-' || month(period) || '月'
        else year(period) || '年' || month(period) || '月'
    end as period_label_zh,
    scope_type,
    scope_code,
    scope_name_zh,
    scope_name_en,
    round(value, decimals) as value,
    unit,
    round(value * display_factor, display_decimals) as display_value,
    display_unit,
    display_decimals,
    round(value_year_earlier, decimals) as value_year_earlier,
    case
        when value_year_earlier is null or unit = '位' then null
        when changes_in_points then round(value - value_year_earlier, 1)
        when value_year_earlier != 0 then round((value / value_year_earlier - 1) * 100, 1)
    end as yoy_change,
    case
        when value_year_earlier is null or unit = '位' then null
        when changes_in_points then '百分点'
        when value_year_earlier != 0 then '%'
    end as yoy_change_unit,
    target_value,
    round(target_value * display_factor, display_decimals) as display_target_value,
    round(value - target_value, 1) as target_gap,
    target_met,
    case
        when scope_type in ('board', 'industry_section', 'zone')
            then rank() over (partition by indicator_code, period, scope_type order by value desc)
    end as scope_rank
from labelled
