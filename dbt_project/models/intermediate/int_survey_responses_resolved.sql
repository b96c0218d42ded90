-- Survey answers with the board resolved and strong demand flagged.
with

responses as (select * from {{ ref('stg_demand_survey__responses') }}),

boards as (select * from {{ ref('dim_board') }})

select
    responses.wave_month_date,
    responses.credit_code,
    responses.enterprise_name,
    boards.board_code,
    responses.industry_code,
    responses.service_code,
    responses.demand_level,
    responses.demand_level in ('较强', '强烈') as is_strong_demand,
    responses.spend_wan_yuan,
    responses.revenue_prior_year_wan_yuan,
    responses.employees,
    responses.source_file,
    responses.excel_row,
    responses.load_id
from responses
left join boards on responses.board_name_or_code in (boards.board_code, boards.board_name)
