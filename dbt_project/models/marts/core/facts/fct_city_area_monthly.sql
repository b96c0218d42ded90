{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

select
    facts.month_date,
    facts.area_code,
    facts.industry_scope,
    facts.section_code,
    areas.is_city_total,
    areas.is_district,
    facts.revenue_ytd_wan_yuan,
    facts.revenue_yoy_pct,
    facts.revenue_column,
    facts.yoy_column,
    facts.source_file,
    facts.excel_row,
    facts.load_id
from {{ ref('int_city_areas_resolved') }} as facts
inner join {{ ref('dim_city_area') }} as areas on facts.area_code = areas.area_code
{% if is_incremental() %}
where {{ in_month_window('facts.month_date') }}
{% endif %}
