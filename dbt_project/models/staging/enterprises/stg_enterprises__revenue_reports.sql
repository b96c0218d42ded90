with

source as (

    -- the current version of each month (earlier ones stay in raw, superseded)
    select * from {{ source('raw', 'enterprises') }} where superseded_at is null

),

renamed as (

    select
        cast(month || '-01' as date) as month_date,
        credit_code,
        enterprise_name,
        board as board_name_or_code,
        zone as zone_name_or_code,
        industry_code,
        left(industry_code, 2) as industry_division,
        pss_code,
        revenue_month_wan_yuan,
        coalesce(revenue_ytd_wan_yuan, 0) as revenue_ytd_wan_yuan,
        -- empty for an enterprise new this year: it has no comparable base
        revenue_ytd_prior_year_wan_yuan,
        operating_profit_ytd_wan_yuan,
        employees,
        star_rating,
        excel_row,
        source_file,
        source_sha256,
        loaded_at,
        load_id
    from source

)

select * from renamed
