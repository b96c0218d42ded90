-- One lookup for the names of every scope an indicator is reported for, whatever its type.
with

district as (

    select
        'district' as scope_type,
        '{{ var("district_code") }}' as scope_code,
        '武进区' as scope_name_zh,
        'Wujin District' as scope_name_en,
        1 as scope_order

),

boards as (

    select 'board', board_code, board_name, board_name_en, row_number() over (order by rowid)
    from {{ ref('ref_boards') }}

),

zones as (

    select 'zone', zone_code, zone_name, zone_name_en, row_number() over (order by zone_code)
    from {{ ref('ref_zones') }}

),

zone_levels as (

    select *
    from (
        values
        ('zone_level', '省级', '省级集聚区', 'provincial clusters', 1),
        ('zone_level', '培育', '培育集聚区', 'cultivated clusters', 2)
    )

),

project_levels as (

    select 'project_level', level_code, level_name, level_name_en, row_number() over (order by rowid)
    from {{ ref('ref_project_levels') }}

),

sections as (

    select
        'industry_section',
        section_code,
        section_name,
        section_name_en,
        row_number() over (order by section_code)
    from {{ ref('ref_gbt4754_sections') }}

),

categories as (

    select 'pss_category', pss_code, pss_name, pss_name_en, row_number() over (order by pss_code)
    from {{ ref('ref_pss2019_categories') }}

),

services as (

    select
        'survey_service',
        service_code,
        service_name,
        service_name_en,
        row_number() over (order by service_code)
    from {{ ref('ref_survey_services') }}

)

select * from district
union all select * from boards
union all select * from zones
union all select * from zone_levels
union all select * from project_levels
union all select * from sections
union all select * from categories
union all select * from services
