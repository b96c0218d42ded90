with

source as (

    {{ current_rows('demand_survey') }}

),

renamed as (

    select
        {{ month_start('month') }} as wave_month_date,
        credit_code,
        enterprise_name,
        board as board_name_or_code,
        industry_code,
        left(industry_code, 2) as industry_division,
        revenue_prior_year_wan_yuan,
        employees,
        service_code,
        service_name,
        coalesce(demand_level, '无') as demand_level,
        coalesce(spend_wan_yuan, 0) as spend_wan_yuan,
        most_urgent_need,
        {{ lineage_columns() }}
    from source

)

select * from renamed
