-- Demand-survey indicators, declared once as their terms (int_indicator_values sums them): a
-- respondent's row for the district's count; per service, the cells of its share of
-- respondents with strong demand (较强/强烈) and of their yearly purchases; a service's rank
-- rests on every service's share (ties: purchases), the values it was ranked on.
{%- set service_terms = [
    ('SVY_DEMAND_RATE', 'numerator', 1, none, "service_code || ':demand_level'", 'is_strong_demand'),
    ('SVY_DEMAND_RATE', 'denominator', 1, none, "'credit_code'", none),
    ('SVY_SPEND', 'sum', 1, 'spend_wan_yuan', "service_code || ':spend_wan_yuan'", none),
] %}
with

demand as (select * from {{ ref('fct_survey_demand') }}),

by_service as (
    select
        *,
        wave_month_date as period,
        'survey_service' as scope_type,
        service_code as scope_code
    from demand
),

all_services as (
    select
        *,
        wave_month_date as period,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from demand
),

respondents as (
    select
        *,
        wave_month_date as period,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from demand
    qualify row_number() over (partition by wave_month_date, credit_code order by service_code) = 1
),

service_terms as (
    {{ contributions('by_service', 'demand_survey', service_terms, 'credit_code') }}
),

-- each service's share and spend, from its terms as every value is
services as (
    select
        period,
        scope_code,
        indicator_code,
        value
    from ({{ indicator_values('service_terms') }})
),

ranked_on as (

    select
        'SVY_DEMAND_RANK' as indicator_code,
        ranked.period,
        'survey_service' as scope_type,
        ranked.scope_code,
        -- the share each service was ranked on; spend breaks ties
        if(ranked_services.indicator_code = 'SVY_DEMAND_RATE', 'ranked_on', 'tie_break') as term,
        ranked_services.value as contribution,
        {{ no_cell('demand_survey') }}
        ranked_services.scope_code as ranked_scope_code
    from (
        select distinct
            period,
            scope_code
        from services
    ) as ranked
    inner join services as ranked_services on ranked.period = ranked_services.period

)

select * from service_terms
union all
{{ contributions('respondents', 'demand_survey', [
    ('SVY_RESPONDENTS', 'sum', 1, none, "'credit_code'", none),
], 'credit_code') }}
union all
-- the wave's purchases of every service: the 合计 of the services' table
{{ contributions('all_services', 'demand_survey', [
    ('SVY_SPEND', 'sum', 1, 'spend_wan_yuan', "service_code || ':spend_wan_yuan'", none),
], 'credit_code') }}
union all
select * from ranked_on
