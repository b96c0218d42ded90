{{ config(unique_key='month_date', partition_by=month_partitions('month_date')) }}

with

activities as (

    select * from {{ ref('stg_ledger__recruitment_activities') }}
    {% if is_incremental() %}where {{ in_month_window('month_date') }}{% endif %}

),

activity_types as (select * from {{ ref('ref_ledger_activity_types') }}),

categories as (select * from {{ ref('ref_pss2019_categories') }})

select
    activities.month_date,
    activities.event_date,
    activity_types.activity_code,
    activities.enterprise_name,
    activities.enterprise_location,
    activities.lead_department,
    activities.boards_as_written as boards,
    categories.pss_code,
    activities.source_file,
    activities.excel_row,
    activities.load_id
from activities
left join activity_types
    on activities.activity_type_as_written
    in (activity_types.activity_code, activity_types.activity_name)
left join categories
    on activities.pss_category_as_written in (categories.pss_code, categories.pss_name)
