-- Key-project indicators, one row per period and scope (district, board, project level) and
-- one column per indicator, named by its code.
{%- set scopes = [('board', 'board_code'), ('project_level', 'project_level_code')] %}
select
    month_date as period,
    {{ scope_columns(scopes) }},
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
group by {{ scope_grouping_sets('month_date', scopes) }}
