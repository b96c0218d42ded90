with

source as (

    {{ current_rows('enterprises') }}

),

renamed as (

    select
        {{ month_start('month') }} as month_date,
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
        -- empty for an enterprise with no base, and in a file from before the column
        operating_profit_ytd_prior_year_wan_yuan,
        employees,
        star_rating,
        {{ lineage_columns() }}
    from source

)

select * from renamed
