{{ config(post_hook="{{ create_indicator_value_as_of() }}") }}

-- Each published version of every indicator value, valid from the publication that published
-- it until the one that changed or removed it (SDMX's validFrom / validTo, on the time the
-- warehouse was published). `marts.indicator_value_as_of(timestamp)` reads it.
with

changes as (select * from {{ ref('fct_indicator_value_changes') }}),

publications as (select * from {{ source('raw', 'publications') }}),

dated as (

    select
        changes.*,
        -- the run under way publishes when it ends; until then its build time stands in
        coalesce(publications.published_at, changes.recorded_at) as valid_from
    from changes
    left join publications on changes.published_by = publications.run_id

)

select
    indicator_code,
    period,
    scope_type,
    scope_code,
    value,
    unit,
    target_value,
    target_met,
    is_removed,
    valid_from,
    lead(valid_from) over versions as valid_to,
    published_by,
    lead(published_by) over versions as superseded_by
from dated
window versions as (
    partition by indicator_code, period, scope_type, scope_code
    order by valid_from, recorded_at
)
