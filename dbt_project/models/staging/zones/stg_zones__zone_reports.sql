with

source as (

    -- the current version of each month (earlier ones stay in raw, superseded)
    select * from {{ source('raw', 'zones') }} where superseded_at is null

),

renamed as (

    select
        cast(month || '-01' as date) as month_date,
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
        excel_row,
        source_file,
        source_sha256,
        loaded_at,
        load_id
    from source

)

select * from renamed
