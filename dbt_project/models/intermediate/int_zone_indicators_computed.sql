-- Cluster indicators, one row per period and scope (district, level 省级/培育, cluster) and
-- one column per indicator, named by its code.
{%- set scopes = [('zone_level', 'zone_level'), ('zone', 'zone_code')] %}
select
    month_date as period,
    {{ scope_columns(scopes) }},
    count(distinct zone_code)::double as zone_count,
    {{ exact_sum('invested_ytd_wan_yuan') }} as zone_inv_ytd,
    {{ exact_sum('revenue_ytd_wan_yuan') }} as zone_rev_ytd,
    {{ exact_sum('profit_ytd_wan_yuan') }} as zone_profit_ytd,
    {{ exact_sum('tax_ytd_wan_yuan') }} as zone_tax_ytd,
    {{ exact_sum('enterprise_count') }} as zone_ent_count,
    {{ exact_sum('above_scale_count') }} as zone_above_scale_count
from {{ ref('fct_zone_monthly') }}
group by {{ scope_grouping_sets('month_date', scopes) }}
