-- The events behind each work-ledger indicator (int_ledger_indicators_computed): for each
-- month the ledger was delivered, the month's events (_MONTH) or every event from January
-- (_YTD), each citing the cell that classes it.
with

months as (select month_date as period from {{ ref('stg_ledger__deliveries') }}),

{% for name, model in [('recruitment', 'fct_recruitment_activity'), ('media', 'fct_media_report'), ('training', 'fct_training_session')] %}
{{ name }} as (
    select events.*, months.period
    from months
    inner join {{ ref(model) }} as events
        on events.month_date between date_trunc('year', months.period) and months.period
),
{% endfor %}

scoped_recruitment as (
    select *, 'district' as scope_type, '{{ var("district_code") }}' as scope_code
    from recruitment
    union all
    select *, 'pss_category', pss_code from recruitment
    where activity_code = 'LANDED' and pss_code is not null
),

scoped_media as (
    select *, 'district' as scope_type, '{{ var("district_code") }}' as scope_code from media
    union all
    select *, 'media_level', target_group from media
),

scoped_training as (
    select *, 'district' as scope_type, '{{ var("district_code") }}' as scope_code
    from training
    union all
    select *, 'training_audience', audience from training
)

{{ contributions('scoped_recruitment', 'ledger_recruitment', [
    ('LDG_VISIT_OUT_MONTH', 'sum', 1, none, "'activity_type'",
        "activity_code = 'VISIT_OUT' and month_date = period and scope_type = 'district'"),
    ('LDG_VISIT_IN_MONTH', 'sum', 1, none, "'activity_type'",
        "activity_code = 'VISIT_IN' and month_date = period and scope_type = 'district'"),
    ('LDG_LANDED_YTD', 'sum', 1, none, "'activity_type'", "activity_code = 'LANDED'"),
]) }}
union all
{{ contributions('scoped_media', 'ledger_media', [
    ('LDG_MEDIA_YTD', 'sum', 1, none, "'media_level'", none),
]) }}
union all
{{ contributions('scoped_training', 'ledger_training', [
    ('LDG_TRAINING_YTD', 'sum', 1, none, "'course_name'", none),
    ('LDG_TRAINEES_YTD', 'sum', 1, 'trainees', "'trainees'", "scope_type = 'district'"),
]) }}
