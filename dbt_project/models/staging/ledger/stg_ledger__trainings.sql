with

source as (

    {{ current_rows('ledger_training') }}

),

renamed as (

    select
        {{ month_start('month') }} as month_date,
        event_date,
        organiser,
        course_name,
        audience,
        coalesce(trainees, 0) as trainees,
        venue,
        {{ lineage_columns() }}
    from source

)

select * from renamed
