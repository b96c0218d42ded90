-- Work-ledger indicators, one row per month the ledger was delivered and scope, one column per
-- indicator, named by its code. A delivered month with no events counts zero (its targets
-- show as missed); year-to-date counts run from January to the end of the month.
with

months as (select month_date as period from {{ ref('stg_ledger__deliveries') }}),

recruitment as (

    select months.period, activity.*, activity.month_date = months.period as in_month
    from months
    inner join {{ ref('fct_recruitment_activity') }} as activity
        on activity.month_date between date_trunc('year', months.period) and months.period

),

media as (

    select months.period, report.*
    from months
    inner join {{ ref('fct_media_report') }} as report
        on report.month_date between date_trunc('year', months.period) and months.period

),

training as (

    select months.period, session.*
    from months
    inner join {{ ref('fct_training_session') }} as session
        on session.month_date between date_trunc('year', months.period) and months.period

),

recruitment_counts as (

    select
        period,
        count(*) filter (where in_month and activity_code = 'VISIT_OUT') as visits_out,
        count(*) filter (where in_month and activity_code = 'VISIT_IN') as visits_in,
        count(*) filter (where activity_code = 'LANDED') as landed
    from recruitment
    group by period

),

media_counts as (

    select period, target_group, count(*) as reports
    from media
    group by period, target_group

),

training_counts as (

    select period, audience, count(*) as sessions, sum(trainees) as trainees
    from training
    group by period, audience

),

district as (

    select
        months.period,
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code,
        coalesce(recruitment_counts.visits_out, 0)::double as ldg_visit_out_month,
        coalesce(recruitment_counts.visits_in, 0)::double as ldg_visit_in_month,
        coalesce(recruitment_counts.landed, 0)::double as ldg_landed_ytd,
        (select coalesce(sum(reports), 0) from media_counts where media_counts.period = months.period)::double
            as ldg_media_ytd,
        (select coalesce(sum(sessions), 0) from training_counts where training_counts.period = months.period)::double
            as ldg_training_ytd,
        (select coalesce(sum(trainees), 0) from training_counts where training_counts.period = months.period)::double
            as ldg_trainees_ytd
    from months
    left join recruitment_counts on months.period = recruitment_counts.period

),

-- every target group and audience every month, so that a zero shows against its target
media_groups as (select distinct target_group from {{ ref('ref_media_levels') }}),

audiences as (select * from (values ('管理人员'), ('企业')) as audiences (audience)),

by_media_level as (

    select
        months.period,
        'media_level' as scope_type,
        media_groups.target_group as scope_code,
        coalesce(media_counts.reports, 0)::double as ldg_media_ytd
    from months
    cross join media_groups
    left join media_counts
        on months.period = media_counts.period and media_groups.target_group = media_counts.target_group

),

by_audience as (

    select
        months.period,
        'training_audience' as scope_type,
        audiences.audience as scope_code,
        coalesce(training_counts.sessions, 0)::double as ldg_training_ytd
    from months
    cross join audiences
    left join training_counts
        on months.period = training_counts.period and audiences.audience = training_counts.audience

),

by_category as (

    select
        period,
        'pss_category' as scope_type,
        pss_code as scope_code,
        count(*)::double as ldg_landed_ytd
    from recruitment
    where activity_code = 'LANDED' and pss_code is not null
    group by period, pss_code

)

select
    period, scope_type, scope_code, ldg_visit_out_month, ldg_visit_in_month, ldg_landed_ytd,
    ldg_media_ytd, ldg_training_ytd, ldg_trainees_ytd
from district
union all by name
select * from by_media_level
union all by name
select * from by_audience
union all by name
select * from by_category
