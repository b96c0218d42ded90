with

source as (

    -- the current version of each month (earlier ones stay in raw, superseded)
    select * from {{ source('raw', 'ledger_recruitment') }} where superseded_at is null

),

renamed as (

    select
        cast(month || '-01' as date) as month_date,
        event_date,
        activity_type as activity_type_as_written,
        enterprise_name,
        enterprise_location,
        lead_department,
        boards as boards_as_written,
        pss_category as pss_category_as_written,
        note,
        excel_row,
        source_file,
        source_sha256,
        loaded_at,
        load_id
    from source

)

select * from renamed
