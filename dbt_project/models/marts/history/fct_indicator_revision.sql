-- The revisions: each indicator value whose current version differs from the one first
-- published (a correction changed it, or removed it), with both and the revision in the
-- indicator's unit and in the unit people read.
with

history as (select * from {{ ref('fct_indicator_value_history') }}),

catalogue as (select * from {{ ref('dim_indicator') }}),

scopes as (select * from {{ ref('dim_scope') }}),

versions as (

    select
        *,
        first_value(value) over first_to_last as first_value,
        first_value(valid_from) over first_to_last as first_published_at,
        count(*) over first_to_last as version_count
    from history
    window first_to_last as (
        partition by indicator_code, period, scope_type, scope_code
        order by valid_from
        rows between unbounded preceding and unbounded following
    )

),

revised as (
    select * from versions
    where valid_to is null and version_count > 1 and value is distinct from first_value
)

select
    revised.indicator_code,
    catalogue.indicator_name_zh,
    catalogue.indicator_name_en,
    revised.period,
    catalogue.period_kind,
    revised.scope_type,
    revised.scope_code,
    scopes.scope_name_zh,
    scopes.scope_name_en,
    revised.unit,
    revised.first_value,
    revised.first_published_at,
    revised.value as current_value,
    revised.is_removed as is_withdrawn,
    revised.value - revised.first_value as revision,
    catalogue.display_unit,
    catalogue.display_decimals,
    revised.first_value * catalogue.display_factor as first_display_value,
    revised.value * catalogue.display_factor as current_display_value,
    (revised.value - revised.first_value) * catalogue.display_factor as display_revision,
    revised.valid_from as revised_at,
    revised.published_by as revised_by,
    cast(revised.version_count - 1 as integer) as revision_count
from revised
inner join catalogue on revised.indicator_code = catalogue.indicator_code
left join scopes
    on revised.scope_type = scopes.scope_type
    and revised.scope_code = scopes.scope_code
