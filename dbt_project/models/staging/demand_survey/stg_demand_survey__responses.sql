with

source as (

    -- the current version of each month (earlier ones stay in raw, superseded)
    select * from {{ source('raw', 'demand_survey') }} where superseded_at is null

),

renamed as (

    select
        cast(month || '-01' as date) as wave_month_date,
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
        excel_row,
        source_file,
        source_sha256,
        loaded_at,
        load_id
    from source

)

select * from renamed
