-- Rule C6 of the city source: the district's row is the city's figure, not psw's, yet a
-- section's growth there should not be far from what psw's own enterprises' survey gives
-- (ENT_REV_YOY of the section). Each section the city publishes for the district, both
-- figures and the gap; a gap above 5 百分点 is a warning (the dbt test on it, and a note in the
-- month's data-quality notes through release.quality_note).
with

city as (
    select
        month_date as period,
        section_code,
        revenue_yoy_pct as city_yoy_pct,
        source_file
    from {{ ref('fct_city_area_monthly') }}
    where is_district and section_code is not null and revenue_yoy_pct is not null
),

own as (
    select
        period,
        scope_code as section_code,
        value as own_yoy_pct,
        conf_status
    from {{ ref('fct_indicator_value') }}
    where indicator_code = 'ENT_REV_YOY' and scope_type = 'industry_section'
)

select
    city.period,
    city.section_code,
    city.city_yoy_pct,
    own.own_yoy_pct,
    own.conf_status as own_conf_status,
    city.city_yoy_pct - own.own_yoy_pct as gap_points,
    abs(city.city_yoy_pct - own.own_yoy_pct) > 5 as is_far,
    city.source_file
from city
inner join own using (period, section_code)
