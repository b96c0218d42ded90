-- Key-project indicators, one row per period and scope (district, board, project level) and
-- one column per indicator, named by its code.
select
    month_date as period,
    case
        when grouping(board_code) = 0 then 'board'
        when grouping(project_level_code) = 0 then 'project_level'
        else 'district'
    end as scope_type,
    coalesce(board_code, project_level_code, '{{ var("district_code") }}') as scope_code,
    count(distinct project_id)::double as prj_count,
    {{ exact_sum('total_investment_wan_yuan') }} as prj_inv_total,
    {{ exact_sum('plan_year_wan_yuan') }} as prj_plan_year,
    {{ exact_sum('invested_ytd_wan_yuan') }} as prj_inv_ytd,
    {{ exact_sum('invested_ytd_wan_yuan') }} / nullif({{ exact_sum('plan_year_wan_yuan') }}, 0) * 100 as prj_inv_rate,
    {{ exact_sum('invested_ytd_wan_yuan') }} / nullif({{ exact_sum('plan_year_wan_yuan') }}, 0) * 100
    - month(month_date) / 12.0 * 100 as prj_inv_ahead,
    (count(*) filter (where is_started)) / count(*) * 100.0 as prj_start_rate,
    (count(*) filter (where is_in_use))::double as prj_in_use_count
from {{ ref('fct_project_progress') }}
group by grouping sets ((month_date), (month_date, board_code), (month_date, project_level_code))
