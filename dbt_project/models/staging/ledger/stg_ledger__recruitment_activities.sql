with

source as (

    {{ current_rows('ledger_recruitment') }}

),

renamed as (

    select
        {{ month_start('month') }} as month_date,
        event_date,
        activity_type as activity_type_as_written,
        enterprise_name,
        enterprise_location,
        lead_department,
        boards as boards_as_written,
        pss_category as pss_category_as_written,
        note,
        {{ lineage_columns() }}
    from source

)

select * from renamed
