-- 表7 生产性服务需求调查: each wave's services ranked by demand (the six highest are the key
-- services to cultivate), and a 合计 row of the respondents and their purchases.
with

service_values as (
    select * from {{ ref('indicator_value_labelled') }}
    where scope_type = 'survey_service'
),

district_spend as (
    select * from {{ ref('indicator_value_labelled') }}
    where indicator_code = 'SVY_SPEND' and scope_type = 'district'
),

responses as (select * from {{ ref('fct_survey_demand') }}),

service_rows as (

    select
        period,
        false as is_total,
        cast(max(value) filter (where indicator_code = 'SVY_DEMAND_RANK') as bigint) as line_number,
        scope_code as service_code,
        any_value(scope_name_zh) as service_name,
        max(display_value) filter (where indicator_code = 'SVY_DEMAND_RATE') as demand_rate_pct,
        max(display_value) filter (where indicator_code = 'SVY_SPEND') as spend_yi_yuan,
        cast(max(value) filter (where indicator_code = 'SVY_DEMAND_RANK') as bigint) as demand_rank,
        max(value) filter (where indicator_code = 'SVY_DEMAND_RANK') <= 6 as is_key_service,
        cast(null as bigint) as respondents,
        if(
            bool_or(indicator_code = 'SVY_SPEND' and conf_status != 'F'),
            {{ list_of("'spend_yi_yuan'") }},
            {{ list_of() }}
        )
            as held_fields
    from service_values
    group by period, scope_code

),

-- the wave's respondents, and its purchases of every service (SVY_SPEND of the district)
total_rows as (

    select
        responses.wave_month_date as period,
        true as is_total,
        0 as line_number,
        null as service_code,
        '合计' as service_name,
        null as demand_rate_pct,
        any_value(district_spend.display_value) as spend_yi_yuan,
        null as demand_rank,
        null as is_key_service,
        count(distinct responses.credit_code) as respondents,
        if(
            any_value(district_spend.conf_status) != 'F',
            {{ list_of("'spend_yi_yuan'") }},
            {{ list_of() }}
        ) as held_fields
    from responses
    left join district_spend on responses.wave_month_date = district_spend.period
    group by responses.wave_month_date

)

select * from service_rows
union all
select * from total_rows
