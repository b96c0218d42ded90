-- The latest reported attributes of each key project.
select
    project_id,
    project_name,
    board_code,
    project_level_code,
    pss_code,
    construction_content,
    land_area_mu,
    floor_area_sqm,
    total_investment_wan_yuan,
    planned_start_month,
    planned_finish_month,
    status_code as latest_status_code,
    month_date as latest_month_date
from {{ ref('int_projects_resolved') }}
qualify row_number() over (partition by project_id order by month_date desc) = 1
