-- The rows and cells behind each demand-survey indicator (int_survey_indicators_computed): a
-- respondent's row for the district's count, each service's cells for its share and spend;
-- a service's rank rests on every service's share (ties: spend), the values it was ranked on.
{%- set service_terms = [
    ('SVY_DEMAND_RATE', 'numerator', 1, none, "service_code || ':demand_level'", 'is_strong_demand'),
    ('SVY_DEMAND_RATE', 'denominator', 1, none, "'credit_code'", none),
    ('SVY_SPEND', 'sum', 1, 'spend_wan_yuan', "service_code || ':spend_wan_yuan'", none),
] %}
with

demand as (select * from {{ ref('fct_survey_demand') }}),

by_service as (
    select *, wave_month_date as period, 'survey_service' as scope_type, service_code as scope_code
    from demand
),

respondents as (
    select *, wave_month_date as period, 'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from demand
    qualify row_number() over (partition by wave_month_date, credit_code order by service_code) = 1
),

services as (
    select period, scope_code, indicator_code, value
    from {{ ref('fct_indicator_value') }}
    where indicator_code in ('SVY_DEMAND_RATE', 'SVY_SPEND')
),

ranked_on as (

    select
        'SVY_DEMAND_RANK' as indicator_code,
        ranked.period,
        'survey_service' as scope_type,
        ranked.scope_code,
        -- the share each service was ranked on; spend breaks ties
        if(others.indicator_code = 'SVY_DEMAND_RATE', 'ranked_on', 'tie_break') as term,
        others.value as contribution,
        {{ no_cell('demand_survey') }}
        others.scope_code as ranked_scope_code
    from (select distinct period, scope_code from services) as ranked
    inner join services as others on ranked.period = others.period

)

{{ contributions('by_service', 'demand_survey', service_terms) }}
union all
{{ contributions('respondents', 'demand_survey', [
    ('SVY_RESPONDENTS', 'sum', 1, none, "'credit_code'", none),
]) }}
union all
select * from ranked_on
