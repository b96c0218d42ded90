-- The revisions as released: those of figures released now; a figure disclosure control
-- holds (or a withdrawn one it would have held) is left out with its earlier values.
with

revisions as (select * from {{ ref('fct_indicator_revision') }}),

statuses as (select * from {{ ref('indicator_value') }}),

catalogue as (select * from {{ ref('dim_indicator') }})

select
    revisions.indicator_code,
    revisions.indicator_name_zh,
    revisions.indicator_name_en,
    revisions.period,
    revisions.period_kind,
    revisions.scope_type,
    revisions.scope_code,
    revisions.scope_name_zh,
    revisions.scope_name_en,
    revisions.unit,
    revisions.first_value,
    revisions.first_published_at,
    revisions.current_value,
    revisions.is_withdrawn,
    revisions.revision,
    revisions.display_unit,
    revisions.display_decimals,
    revisions.first_display_value,
    revisions.current_display_value,
    revisions.display_revision,
    revisions.revised_at,
    revisions.revised_by,
    revisions.revision_count
from revisions
inner join catalogue on revisions.indicator_code = catalogue.indicator_code
left join statuses
    on revisions.indicator_code = statuses.indicator_code
    and revisions.period = statuses.period
    and revisions.scope_type = statuses.scope_type
    and revisions.scope_code = statuses.scope_code
where coalesce(statuses.conf_status, if(catalogue.disclosure is null, 'F', 'C')) = 'F'
