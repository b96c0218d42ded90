{{ config(unique_key='wave_month_date', partition_by=month_partitions('wave_month_date')) }}

select
    wave_month_date,
    credit_code,
    service_code,
    board_code,
    industry_code,
    demand_level,
    is_strong_demand,
    spend_wan_yuan,
    source_file,
    excel_row,
    load_id
from {{ ref('int_survey_responses_resolved') }}
{% if is_incremental() %}
where {{ in_month_window('wave_month_date') }}
{% endif %}
