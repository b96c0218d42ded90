{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

select
    month_date,
    project_id,
    board_code,
    project_level_code,
    pss_code,
    status_code,
    is_started,
    is_in_use,
    total_investment_wan_yuan,
    plan_year_wan_yuan,
    invested_month_wan_yuan,
    invested_ytd_wan_yuan,
    invested_since_start_wan_yuan,
    progress_note,
    source_file,
    excel_row,
    load_id
from {{ ref('int_projects_resolved') }}
{% if is_incremental() %}
where {{ in_month_window('month_date') }}
{% endif %}
