{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

select
    month_date,
    zone_code,
    zone_level,
    board_code,
    invested_ytd_wan_yuan,
    revenue_ytd_wan_yuan,
    profit_ytd_wan_yuan,
    tax_ytd_wan_yuan,
    enterprise_count,
    above_scale_count,
    employees,
    source_file,
    excel_row,
    load_id
from {{ ref('int_zones_resolved') }}
{% if is_incremental() %}
where {{ in_month_window('month_date') }}
{% endif %}
