-- 表 本区在全市: the district's above-scale services in the city bureau's table, and each
-- section the city publishes for it: revenue, its share of the city's, growth against the
-- city's, the gap (CITY_SVC_REV_YOY_GAP) and the place among Changzhou's areas
-- (CITY_SVC_REV_YOY_RANK). The city's table is public; none of it is a respondent's figure.
with

areas as (select * from {{ ref('fct_city_area_monthly') }}),

district as (
    select * from areas
    where is_district
),

city as (
    select * from areas
    where is_city_total
),

compared as (
    select * from {{ ref('indicator_value_labelled') }}
    where indicator_code in ('CITY_SVC_REV_YOY_GAP', 'CITY_SVC_REV_YOY_RANK')
),

sections as (select * from {{ ref('dim_industry_section') }})

select
    district.month_date as period,
    district.industry_scope = 'ALL' as is_total,
    case
        when district.industry_scope = 'ALL' then 0
        else ascii(district.industry_scope) - ascii('A') + 1
    end as line_number,
    district.industry_scope,
    coalesce(sections.section_name, '规模以上服务业') as industry_name_zh,
    {{ round_to('district.revenue_ytd_wan_yuan / 10000', 2) }} as revenue_ytd_yi_yuan,
    {{ round_to('district.revenue_ytd_wan_yuan / nullif(city.revenue_ytd_wan_yuan, 0) * 100', 1) }}
        as share_of_city_pct,
    district.revenue_yoy_pct,
    city.revenue_yoy_pct as city_yoy_pct,
    gap.display_value as gap_points,
    rank_in_city.display_value as city_rank
from district
left join city
    on district.month_date = city.month_date
    and district.industry_scope = city.industry_scope
left join sections on district.section_code = sections.section_code
left join compared as gap
    on district.month_date = gap.period
    and gap.indicator_code = 'CITY_SVC_REV_YOY_GAP'
    and gap.scope_code = if(district.industry_scope = 'ALL', '{{ var("district_code") }}', district.industry_scope)
left join compared as rank_in_city
    on district.month_date = rank_in_city.period
    and rank_in_city.indicator_code = 'CITY_SVC_REV_YOY_RANK'
    and rank_in_city.scope_code
    = if(district.industry_scope = 'ALL', '{{ var("district_code") }}', district.industry_scope)
