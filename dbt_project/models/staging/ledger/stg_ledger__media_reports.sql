with

source as (

    {{ current_rows('ledger_media') }}

),

renamed as (

    select
        {{ month_start('month') }} as month_date,
        event_date,
        media_name,
        media_level as media_level_as_written,
        title,
        subject,
        {{ lineage_columns() }}
    from source

)

select * from renamed
