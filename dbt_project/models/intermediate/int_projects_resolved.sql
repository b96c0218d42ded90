-- Key projects with the names departments write resolved to reference codes.
with

projects as (select * from {{ ref('stg_projects__progress_reports') }}),

boards as (select * from {{ ref('dim_board') }}),

levels as (select * from {{ ref('dim_project_level') }}),

categories as (select * from {{ ref('dim_pss_category') }}),

statuses as (select * from {{ ref('dim_construction_status') }})

select
    projects.month_date,
    projects.project_id,
    projects.project_name,
    boards.board_code,
    levels.level_code as project_level_code,
    categories.pss_code,
    statuses.status_code,
    coalesce(statuses.is_started, false) as is_started,
    coalesce(statuses.is_in_use, false) as is_in_use,
    projects.construction_content,
    projects.land_area_mu,
    projects.floor_area_sqm,
    projects.total_investment_wan_yuan,
    projects.plan_year_wan_yuan,
    projects.invested_month_wan_yuan,
    projects.invested_ytd_wan_yuan,
    projects.invested_since_start_wan_yuan,
    projects.planned_start_month,
    projects.planned_finish_month,
    projects.progress_note,
    projects.source_file,
    projects.excel_row,
    projects.load_id
from projects
left join boards on projects.board_name_or_code in (boards.board_code, boards.board_name)
left join levels
    on projects.project_level_name_or_code in (levels.level_code, levels.level_name)
left join categories on projects.pss_name_or_code in (categories.pss_code, categories.pss_name)
left join statuses
    on projects.construction_status_name in (statuses.status_code, statuses.status_name)
