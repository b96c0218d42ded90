-- The city's rows with the area (written by name, short name or code) resolved to its code.
with

areas as (select * from {{ ref('stg_city__area_sections') }}),

area_keys as (
    select
        area_code as name_or_code,
        area_code
    from {{ ref('dim_city_area') }}
    union
    select
        area_name,
        area_code
    from {{ ref('dim_city_area') }}
    union
    select
        short_name,
        area_code
    from {{ ref('dim_city_area') }}
    where short_name is not null
)

select
    areas.month_date,
    area_keys.area_code,
    areas.industry_scope,
    case when areas.industry_scope != 'ALL' then areas.industry_scope end as section_code,
    areas.revenue_ytd_wan_yuan,
    areas.revenue_yoy_pct,
    areas.revenue_column,
    areas.yoy_column,
    areas.source_file,
    areas.excel_row,
    areas.load_id
from areas
left join area_keys on areas.area_as_written = area_keys.name_or_code
