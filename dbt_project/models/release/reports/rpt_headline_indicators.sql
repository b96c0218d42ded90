-- 表1 主要指标: the district's indicators in the catalogue's headline order, each figure in
-- 本月 or 1-本月累计 as its period says, with 同比, the target and whether it is met.
with

district_values as (
    select * from {{ ref('indicator_value_labelled') }}
    where scope_type = 'district'
),

headline as (
    select * from {{ ref('dim_indicator') }}
    where headline_order is not null
),

-- the released figures unrounded (a held one has none), for the base a growth is of
exact as (
    select * from {{ ref('indicator_value') }}
    where scope_type = 'district'
)

select
    district_values.period,
    headline.headline_order as line_number,
    district_values.indicator_code,
    -- a 本月 figure that covers more than its month says so (February's 当月营业收入 is 1-2月)
    district_values.indicator_name_zh || case
        when district_values.period_kind = 'month'
            and district_values.first_month_covered < month(district_values.period)
            then '（' || district_values.first_month_covered || '-'
                || month(district_values.period) || '月）'
        else ''
    end as indicator_name_zh,
    district_values.indicator_name_en,
    district_values.period_label_zh,
    district_values.display_unit,
    district_values.display_decimals,
    case when district_values.period_kind != 'ytd' then district_values.display_value end
        as value_month,
    case when district_values.period_kind = 'ytd' then district_values.display_value end
        as value_ytd,
    -- 上年同期: the figure a year earlier where the warehouse has it; for revenue and profit,
    -- whose growth is on a comparable basis, the base that growth is of (value ÷ (1 + growth))
    coalesce(
        district_values.display_value_year_earlier,
        {{ round_to(
            'exact_value.value * headline.display_factor / nullif(1 + exact_growth.value / 100, 0)',
            'district_values.display_decimals'
        ) }}
    ) as value_year_earlier,
    -- revenue's 同比 is its growth on a comparable basis (enterprises reporting both years)
    coalesce(growth.value, district_values.yoy_change) as yoy_change,
    case
        when growth.value is not null then growth.unit else district_values.yoy_change_unit
    end as yoy_change_unit,
    district_values.display_target_value,
    district_values.target_decimals,
    district_values.target_gap,
    district_values.target_met,
    -- a held figure (disclosure control) is shown as a mark, with its 同比
    case
        when district_values.conf_status != 'F'
            then {{ list_of(
                "if(district_values.period_kind = 'ytd', 'value_ytd', 'value_month')",
                "'value_year_earlier'",
                "'yoy_change'",
            ) }}
        when growth.conf_status != 'F' then {{ list_of("'value_year_earlier'", "'yoy_change'") }}
        else {{ list_of() }}
    end as held_fields
from district_values
inner join headline on district_values.indicator_code = headline.indicator_code
left join district_values as growth
    on headline.growth_indicator_code = growth.indicator_code
    and district_values.period = growth.period
left join exact as exact_value
    on district_values.indicator_code = exact_value.indicator_code
    and district_values.period = exact_value.period
left join exact as exact_growth
    on headline.growth_indicator_code = exact_growth.indicator_code
    and district_values.period = exact_growth.period
