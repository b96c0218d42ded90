{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    full_refresh=false,
    pre_hook="{{ forget_this_publication() }}",
) }}

-- Every change a publication made to the indicator table, appended: a row for each value
-- that is new or differs from the one last recorded for its indicator, period and scope, and
-- a row (is_removed) for each value that is gone. A build compares only its window of
-- months: the months outside it are not rebuilt, so they cannot have changed.
with

built as (
    select * from {{ ref('fct_indicator_value') }}
    {% if is_incremental() %}where {{ in_month_window('period') }}{% endif %}
),

recorded as (
    {% if is_incremental() %}
    select indicator_code, period, scope_type, scope_code, value, unit, target_value,
        target_met, is_removed
    from {{ this }}
    where {{ in_month_window('period') }}
    qualify row_number() over (
        partition by indicator_code, period, scope_type, scope_code order by recorded_at desc
    ) = 1
    {% else %}
    select
        *,
        false as is_removed
    from built
    where false
    {% endif %}
),

changed as (
    select
        built.indicator_code,
        built.period,
        built.scope_type,
        built.scope_code,
        built.value,
        built.unit,
        built.target_value,
        built.target_met,
        false as is_removed
    from built
    left join recorded using (indicator_code, period, scope_type, scope_code)
    where recorded.indicator_code is null
        or recorded.is_removed
        or built.value is distinct from recorded.value
        or built.unit is distinct from recorded.unit
        or built.target_value is distinct from recorded.target_value
        or built.target_met is distinct from recorded.target_met
),

ended as (
    select
        recorded.indicator_code,
        recorded.period,
        recorded.scope_type,
        recorded.scope_code,
        cast(null as double) as value,
        recorded.unit,
        cast(null as double) as target_value,
        cast(null as boolean) as target_met,
        true as is_removed
    from recorded
    left join built using (indicator_code, period, scope_type, scope_code)
    where built.indicator_code is null and not recorded.is_removed
)

select
    *,
    {{ publication_id() }} as published_by,
    {{ utc_now() }} as recorded_at
from (
    select * from changed
    union all
    select * from ended
) as published
