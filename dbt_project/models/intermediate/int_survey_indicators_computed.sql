-- Demand-survey indicators, one row per wave and scope and one column per indicator, named by
-- its code: respondents for the district; per service the share of respondents with strong
-- demand (较强/强烈), their yearly purchases, and the rank by that share (ties: purchases).
with

demand as (select * from {{ ref('fct_survey_demand') }}),

by_service as (

    select
        wave_month_date as period,
        'survey_service' as scope_type,
        service_code as scope_code,
        (count(distinct credit_code) filter (where is_strong_demand))
        / count(distinct credit_code) * 100.0 as svy_demand_rate,
        {{ exact_sum('spend_wan_yuan') }} as svy_spend
    from demand
    group by wave_month_date, service_code

),

district as (

    select
        wave_month_date as period,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code,
        count(distinct credit_code)::double as svy_respondents
    from demand
    group by wave_month_date

)

select
    period,
    scope_type,
    scope_code,
    null::double as svy_respondents,
    svy_demand_rate,
    row_number() over (
        partition by period order by svy_demand_rate desc, svy_spend desc, scope_code
    )::double as svy_demand_rank,
    svy_spend
from by_service

union all

select
    period,
    scope_type,
    scope_code,
    svy_respondents,
    null::double as svy_demand_rate,
    null::double as svy_demand_rank,
    null::double as svy_spend
from district
