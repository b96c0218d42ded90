-- Work-ledger indicators, declared once as their terms (int_indicator_values sums them): for
-- each month the ledger was delivered, the month's events (_MONTH) or every event from
-- January (_YTD), each citing the cell that classes it. A delivered month with no events
-- counts zero, for the district, every media level and every training audience (their
-- targets show as missed).
with

months as (select month_date as period from {{ ref('stg_ledger__deliveries') }}),

{%- set sheets = [
    ('recruitment', 'fct_recruitment_activity'),
    ('media', 'fct_media_report'),
    ('training', 'fct_training_session'),
] %}
{% for name, model in sheets %}
{{ name }} as (
    select
        events.*,
        months.period
    from months
    inner join {{ ref(model) }} as events
        on events.month_date between date_trunc('year', months.period) and months.period
),
{% endfor %}

scoped_recruitment as (
    select
        *,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from recruitment
    union all
    select
        *,
        'pss_category' as scope_type,
        pss_code as scope_code
    from recruitment
    where activity_code = 'LANDED' and pss_code is not null
),

scoped_media as (
    select
        *,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from media
    union all
    select
        *,
        'media_level' as scope_type,
        target_group as scope_code
    from media
),

scoped_training as (
    select
        *,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from training
    union all
    select
        *,
        'training_audience' as scope_type,
        audience as scope_code
    from training
),

-- the scopes every delivered month reports, events or not
district_months as (
    select
        period,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from months
),

media_levels as (select distinct target_group from {{ ref('ref_media_levels') }}),

media_level_months as (
    select
        months.period,
        'media_level' as scope_type,
        levels.target_group as scope_code
    from months
    cross join media_levels as levels
),

audience_months as (
    select
        months.period,
        'training_audience' as scope_type,
        audiences.audience as scope_code
    from months
    cross join (values ('管理人员'), ('企业')) as audiences (audience)
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
union all
{{ frame('district_months', ['LDG_VISIT_OUT_MONTH', 'LDG_VISIT_IN_MONTH', 'LDG_LANDED_YTD',
    'LDG_MEDIA_YTD', 'LDG_TRAINING_YTD', 'LDG_TRAINEES_YTD'], 'ledger_recruitment') }}
union all
{{ frame('media_level_months', ['LDG_MEDIA_YTD'], 'ledger_media') }}
union all
{{ frame('audience_months', ['LDG_TRAINING_YTD'], 'ledger_training') }}
