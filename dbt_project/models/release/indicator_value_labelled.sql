-- The labelled indicator table as released (the monthly report reads it): a held figure keeps
-- its row and names, without its value, its change on a year earlier, its gap to the target
-- or a rank; a year-earlier figure that was held is not shown either; ranks are among the
-- released figures only, so a gap in them says nothing of a held one.
with

labelled as (select * from {{ ref('fct_indicator_value_labelled') }}),

statuses as (select * from {{ ref('indicator_value') }}),

masked as (

    select
        labelled.*,
        labelled.conf_status = 'F' as is_released,
        labelled.conf_status = 'F' and coalesce(year_earlier.conf_status, 'F') = 'F'
            as is_compared
    from labelled
    left join statuses as year_earlier
        on labelled.indicator_code = year_earlier.indicator_code
        and labelled.scope_type = year_earlier.scope_type
        and labelled.scope_code = year_earlier.scope_code
        and labelled.period - interval 12 month = year_earlier.period

)

select
    indicator_code,
    indicator_name_zh,
    indicator_name_en,
    period,
    period_kind,
    period_label_zh,
    first_month_covered,
    scope_type,
    scope_code,
    scope_name_zh,
    scope_name_en,
    if(is_released, value, null) as value,
    unit,
    if(is_released, display_value, null) as display_value,
    display_unit,
    display_decimals,
    if(is_compared, value_year_earlier, null) as value_year_earlier,
    if(is_compared, display_value_year_earlier, null) as display_value_year_earlier,
    if(is_compared, yoy_change, null) as yoy_change,
    if(is_compared, yoy_change_unit, null) as yoy_change_unit,
    target_value,
    display_target_value,
    target_decimals,
    if(is_released, target_gap, null) as target_gap,
    if(is_released, target_met, null) as target_met,
    case
        when is_released and scope_rank is not null
            then cast(rank() over (
                    partition by indicator_code, period, scope_type, is_released
                    order by value desc
                ) as bigint)
    end as scope_rank,
    if(is_released, 'F', 'C') as conf_status
from masked
