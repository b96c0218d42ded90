{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

select
    month_date,
    credit_code,
    board_code,
    zone_code,
    industry_code,
    section_code,
    pss_code,
    revenue_month_wan_yuan,
    revenue_ytd_wan_yuan,
    revenue_ytd_prior_year_wan_yuan,
    operating_profit_ytd_wan_yuan,
    operating_profit_ytd_prior_year_wan_yuan,
    employees,
    is_star_enterprise,
    star_rating,
    source_file,
    excel_row,
    load_id
from {{ ref('int_enterprises_resolved') }}
{% if is_incremental() %}
where {{ in_month_window_years('report_year') }} and {{ in_month_window('month_date') }}
{% endif %}
