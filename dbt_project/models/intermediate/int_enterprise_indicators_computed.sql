-- Enterprise indicators, one row per period and scope (district, board, industry section,
-- PSS category) and one column per indicator, named by its code. Growth is on the comparable
-- basis: only enterprises reporting both this year's and last year's YTD revenue count.
{%- set scopes = [('board', 'board_code'), ('industry_section', 'section_code'), ('pss_category', 'pss_code')] %}
select
    month_date as period,
    {{ scope_columns(scopes) }},
    count(distinct credit_code)::double as ent_count,
    {{ exact_sum('revenue_ytd_wan_yuan') }} as ent_rev_ytd,
    {{ exact_sum('revenue_month_wan_yuan') }} as ent_rev_month,
    {{ exact_sum('revenue_ytd_wan_yuan - revenue_ytd_prior_year_wan_yuan',
                  where='revenue_ytd_prior_year_wan_yuan > 0') }}
    / {{ exact_sum('revenue_ytd_prior_year_wan_yuan', where='revenue_ytd_prior_year_wan_yuan > 0') }}
    * 100 as ent_rev_yoy,
    {{ exact_sum('operating_profit_ytd_wan_yuan') }} as ent_profit_ytd,
    {{ exact_sum('employees') }} as ent_employees,
    (count(*) filter (where is_star_enterprise))::double as ent_star_count
from {{ ref('fct_enterprise_monthly') }}
group by {{ scope_grouping_sets('month_date', scopes) }}
