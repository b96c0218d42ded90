{{ config(
    materialized='incremental',
    incremental_strategy=month_strategy(),
    unique_key='period',
    partition_by=month_partitions('period'),
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_month_window() }}",
) }}

-- Every indicator value of the catalogue with its unit, target and confidentiality status
-- (int_indicator_values computes the values from their terms; fct_indicator_disclosure
-- decides which may be released).
with

computed as (

    select
        indicator_code,
        period,
        scope_type,
        scope_code,
        value
    from {{ ref('int_indicator_values') }}
    {% if is_incremental() %}where {{ in_month_window('period') }}{% endif %}

),

catalogue as (select * from {{ ref('dim_indicator') }}),

months as (select * from {{ ref('dim_month') }}),

scoped_targets as (select * from {{ ref('ref_indicator_targets') }}),

disclosure as (select * from {{ ref('fct_indicator_disclosure') }}),

targeted as (

    select
        computed.indicator_code,
        cast(computed.period as date) as period,
        computed.scope_type,
        computed.scope_code,
        cast(computed.value as double) as value,
        catalogue.unit,
        case
            when catalogue.target_rule is null then null
            when months.month_number < catalogue.target_from_month then null
            when catalogue.target_scope_type is not null
                and catalogue.target_scope_type != computed.scope_type then null
            when catalogue.target_rule = 'time_schedule' then months.time_schedule_pct
            -- a year's target, compared with its time-proportional share (序时进度)
            when catalogue.target_rule = 'year_share'
                then coalesce(scoped_targets.target_value, catalogue.target_value)
                    * months.month_number / cast(12 as double)
            else coalesce(scoped_targets.target_value, catalogue.target_value)
        end as target_value,
        -- SDMX CONF_STATUS: F free, C primary, D secondary (a figure no rule covers is free)
        coalesce(disclosure.conf_status, 'F') as conf_status
    from computed
    inner join catalogue on computed.indicator_code = catalogue.indicator_code
    inner join months on computed.period = months.month_date
    left join scoped_targets
        on computed.indicator_code = scoped_targets.indicator_code
        and computed.scope_type = scoped_targets.scope_type
        and computed.scope_code = scoped_targets.scope_code
    left join disclosure
        on computed.indicator_code = disclosure.indicator_code
        and cast(computed.period as date) = disclosure.period
        and computed.scope_type = disclosure.scope_type
        and computed.scope_code = disclosure.scope_code

)

select
    indicator_code,
    period,
    scope_type,
    scope_code,
    value,
    unit,
    target_value,
    -- every target in the catalogue is a floor; rounding keeps 99.9999999 from missing 100
    case when target_value is not null then {{ round_to('value', 6) }} >= {{ round_to('target_value', 6) }} end
        as target_met,
    conf_status
from targeted
