-- One lookup for the names of every scope an indicator is reported for, whatever its type.
{%- set code_lists = [
    ('board', 'ref_boards', 'board_code', 'board_name'),
    ('zone', 'ref_zones', 'zone_code', 'zone_name'),
    ('project_level', 'ref_project_levels', 'level_code', 'level_name'),
    ('industry_section', 'ref_gbt4754_sections', 'section_code', 'section_name'),
    ('pss_category', 'ref_pss2019_categories', 'pss_code', 'pss_name'),
    ('survey_service', 'ref_survey_services', 'service_code', 'service_name'),
] %}

select fixed.*
from (
    values
    ('district', '{{ var("district_code") }}', '武进区', 'Wujin District', 1),
    ('zone_level', '省级', '省级集聚区', 'provincial clusters', 1),
    ('zone_level', '培育', '培育集聚区', 'cultivated clusters', 2),
    ('media_level', '省级及以上', '省级及以上媒体', 'provincial and national media', 1),
    ('media_level', '市级', '市级媒体', 'city media', 2),
    ('media_level', '区级', '区级媒体', 'district media', 3),
    ('training_audience', '管理人员', '管理人员', 'managers', 1),
    ('training_audience', '企业', '企业', 'enterprises', 2)
) as fixed (scope_type, scope_code, scope_name_zh, scope_name_en, scope_order)
{% for scope_type, code_list, code, name in code_lists %}
union all
select
    '{{ scope_type }}' as scope_type,
    {{ code }} as scope_code,
    {{ name }} as scope_name_zh,
    {{ name }}_en as scope_name_en,
    cast(row_number() over (order by {{ row_order() }}) as bigint) as scope_order
-- a code list's rows are in its published order (row_order): read whole even by `dbt build --empty`
from {{ ref(code_list).incorporate(limit=none) }}
{% endfor %}
