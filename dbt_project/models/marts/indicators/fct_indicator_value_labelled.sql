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
        -- a share or a growth rate changes by 百分点; a count by how many more or fewer
        -- (增减, in its own unit); a level by %
        compared.unit in ('%', '百分点') as changes_in_points,
        compared.unit in ('家', '个', '次', '期', '家次', '人次') as changes_in_units,
        catalogue.display_factor,
        -- the first month a value covers: a figure of the months since the indicator's
        -- previous one (February's 当月营业收入, with no January file, is 1-2月) or its own
        case
            when catalogue.covers_since_previous
                then coalesce(
                        month(
                            lag(compared.period) over (
                                partition by
                                    compared.indicator_code,
                                    compared.scope_type,
                                    compared.scope_code,
                                    year(compared.period)
                                order by compared.period
                            )
                        ) + 1,
                        1
                    )
            else month(compared.period)
        end as first_month_covered,
        -- a target is shown with the decimals it has (a yearly 10 at September is 7.5, not 8),
        -- and never fewer than the value; one more at most, rounded there
        catalogue.display_decimals + case
            when
                {{ round_to('compared.target_value * catalogue.display_factor', 'catalogue.display_decimals') }}
                = compared.target_value * catalogue.display_factor
                then 0
            else 1
        end as target_decimals
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
        when first_month_covered < month(period)
            then year(period) || '年' || first_month_covered || '-' || month(period) || '月'
        else year(period) || '年' || month(period) || '月'
    end as period_label_zh,
    cast(first_month_covered as integer) as first_month_covered,
    scope_type,
    scope_code,
    scope_name_zh,
    scope_name_en,
    {{ round_to('value', 'decimals') }} as value,
    unit,
    {{ round_to('value * display_factor', 'display_decimals') }} as display_value,
    display_unit,
    display_decimals,
    {{ round_to('value_year_earlier', 'decimals') }} as value_year_earlier,
    {{ round_to('value_year_earlier * display_factor', 'display_decimals') }} as display_value_year_earlier,
    case
        when value_year_earlier is null or unit = '位' then null
        when changes_in_points then {{ round_to('value - value_year_earlier', 1) }}
        when changes_in_units then {{ round_to('value - value_year_earlier', 'decimals') }}
        when value_year_earlier != 0 then {{ round_to('(value / value_year_earlier - 1) * 100', 1) }}
    end as yoy_change,
    case
        when value_year_earlier is null or unit = '位' then null
        when changes_in_points then '百分点'
        when changes_in_units then display_unit
        when value_year_earlier != 0 then '%'
    end as yoy_change_unit,
    target_value,
    {{ round_to('target_value * display_factor', 'target_decimals') }} as display_target_value,
    case when target_value is not null then target_decimals end as target_decimals,
    -- the gap and whether the target is met, of the figures as shown: the shown value less
    -- the shown target, so that a reader's own subtraction always agrees
    {{ round_to(
        round_to('value * display_factor', 'display_decimals')
        ~ ' - ' ~ round_to('target_value * display_factor', 'target_decimals'),
        'target_decimals'
    ) }} as target_gap,
    case
        when target_value is not null
            then {{ round_to('value * display_factor', 'display_decimals') }}
                >= {{ round_to('target_value * display_factor', 'target_decimals') }}
    end as target_met,
    case
        when scope_type in ('board', 'industry_section', 'zone')
            then cast(rank() over (
                    partition by indicator_code, period, scope_type order by value desc
                ) as bigint)
    end as scope_rank,
    conf_status
from labelled
