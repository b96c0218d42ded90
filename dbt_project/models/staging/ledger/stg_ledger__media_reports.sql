with

source as (

    -- the current version of each month (earlier ones stay in raw, superseded)
    select * from {{ source('raw', 'ledger_media') }} where superseded_at is null

),

renamed as (

    select
        cast(month || '-01' as date) as month_date,
        event_date,
        media_name,
        media_level as media_level_as_written,
        title,
        subject,
        excel_row,
        source_file,
        source_sha256,
        loaded_at,
        load_id
    from source

)

select * from renamed
