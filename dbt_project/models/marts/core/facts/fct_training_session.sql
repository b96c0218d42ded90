{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

select
    month_date,
    event_date,
    organiser,
    course_name,
    audience,
    trainees,
    venue,
    source_file,
    excel_row,
    load_id
from {{ ref('stg_ledger__trainings') }}
{% if is_incremental() %}
where {{ in_month_window('month_date') }}
{% endif %}
