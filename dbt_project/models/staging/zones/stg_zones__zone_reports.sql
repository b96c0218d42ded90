with

source as (

    {{ current_rows('zones') }}

),

renamed as (

    select
        {{ month_start('month') }} as month_date,
        zone_name as zone_name_as_written,
        zone_level as zone_level_as_written,
        board as board_name_or_code,
        coalesce(invested_ytd_wan_yuan, 0) as invested_ytd_wan_yuan,
        coalesce(revenue_ytd_wan_yuan, 0) as revenue_ytd_wan_yuan,
        coalesce(profit_ytd_wan_yuan, 0) as profit_ytd_wan_yuan,
        coalesce(tax_ytd_wan_yuan, 0) as tax_ytd_wan_yuan,
        coalesce(enterprise_count, 0) as enterprise_count,
        coalesce(above_scale_count, 0) as above_scale_count,
        coalesce(employees, 0) as employees,
        {{ lineage_columns() }}
    from source

)

select * from renamed
