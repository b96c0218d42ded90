with

source as (

    {{ current_rows('projects') }}

),

renamed as (

    select
        {{ month_start('month') }} as month_date,
        project_id,
        project_name,
        board as board_name_or_code,
        project_level as project_level_name_or_code,
        pss_category as pss_name_or_code,
        construction_content,
        land_area_mu,
        floor_area_sqm,
        total_investment_wan_yuan,
        plan_year_wan_yuan,
        coalesce(invested_month_wan_yuan, 0) as invested_month_wan_yuan,
        coalesce(invested_ytd_wan_yuan, 0) as invested_ytd_wan_yuan,
        coalesce(invested_since_start_wan_yuan, 0) as invested_since_start_wan_yuan,
        {{ month_start('planned_start_month') }} as planned_start_month,
        {{ month_start('planned_finish_month') }} as planned_finish_month,
        construction_status as construction_status_name,
        progress_note,
        {{ lineage_columns() }}
        -- 责任单位/联系人/联系电话 are personal data: kept in raw, never past staging.
    from source

)

select * from renamed
