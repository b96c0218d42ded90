{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

with

reports as (

    select * from {{ ref('stg_ledger__media_reports') }}
    {% if is_incremental() %}where {{ in_month_window('month_date') }}{% endif %}

),

media_levels as (select * from {{ ref('ref_media_levels') }})

select
    reports.month_date,
    reports.event_date,
    reports.media_name,
    media_levels.media_level_code,
    media_levels.target_group,
    reports.title,
    reports.subject,
    reports.source_file,
    reports.excel_row,
    reports.load_id
from reports
left join media_levels
    on reports.media_level_as_written
    in (media_levels.media_level_code, media_levels.media_level_name)
