-- 表2-4 规上企业分行业门类、分类别、分板块: one row per month and scope for each of the three
-- tables, and the district's figures as each table's 合计 row: revenue, its growth, what each
-- scope pulled the district's growth by (拉动, 百分点) and its share of the increase (贡献率);
-- for the sections, also 增长面 and 亏损面.
with

enterprise_values as (
    select * from {{ ref('indicator_value_labelled') }}
    where indicator_code in (
            'ENT_COUNT', 'ENT_REV_YTD', 'ENT_REV_YOY', 'ENT_PROFIT_YTD', 'ENT_REV_PULL',
            'ENT_REV_CONTRIB', 'ENT_GROWTH_SHARE', 'ENT_LOSS_SHARE'
        )
),

scopes as (select * from {{ ref('dim_scope') }}),

report_tables as (
    select t.table_scope_type
    from (values ('industry_section'), ('pss_category'), ('board')) as t (table_scope_type)
),

pivoted as (

    select
        period,
        scope_type,
        scope_code,
        max(display_value) filter (where indicator_code = 'ENT_COUNT') as enterprise_count,
        max(display_value) filter (where indicator_code = 'ENT_REV_YTD') as revenue_ytd_yi_yuan,
        max(display_value) filter (where indicator_code = 'ENT_REV_YOY') as revenue_yoy_pct,
        max(display_value) filter (where indicator_code = 'ENT_PROFIT_YTD') as profit_ytd_yi_yuan,
        max(scope_rank) filter (where indicator_code = 'ENT_REV_YOY') as revenue_yoy_rank,
        max(display_value) filter (where indicator_code = 'ENT_REV_PULL') as pull_points,
        max(display_value) filter (where indicator_code = 'ENT_REV_CONTRIB') as contribution_pct,
        max(display_value) filter (where indicator_code = 'ENT_GROWTH_SHARE') as growth_share_pct,
        max(display_value) filter (where indicator_code = 'ENT_LOSS_SHARE') as loss_share_pct,
        -- the figures disclosure control holds: the report shows a mark in their place
        {% set held_columns %}
            case indicator_code
                when 'ENT_COUNT' then {{ list_of("'enterprise_count'") }}
                when 'ENT_REV_YTD' then {{ list_of("'revenue_ytd_yi_yuan'") }}
                when 'ENT_REV_YOY' then {{ list_of("'revenue_yoy_pct'", "'revenue_yoy_rank'") }}
                when 'ENT_PROFIT_YTD' then {{ list_of("'profit_ytd_yi_yuan'") }}
                when 'ENT_REV_PULL' then {{ list_of("'pull_points'") }}
                when 'ENT_REV_CONTRIB' then {{ list_of("'contribution_pct'") }}
                when 'ENT_GROWTH_SHARE' then {{ list_of("'growth_share_pct'") }}
                when 'ENT_LOSS_SHARE' then {{ list_of("'loss_share_pct'") }}
            end
        {% endset %}
        {{ sorted_list(held_columns, flatten=true, where="conf_status != 'F'") }} as held_fields
    from enterprise_values
    group by period, scope_type, scope_code

)

select
    pivoted.period,
    report_tables.table_scope_type,
    pivoted.scope_type = 'district' as is_total,
    case when pivoted.scope_type = 'district' then 0 else scopes.scope_order end as line_number,
    pivoted.scope_code,
    if(pivoted.scope_type = 'district', '合计', scopes.scope_name_zh) as scope_name_zh,
    if(pivoted.scope_type = 'district', 'Total', scopes.scope_name_en) as scope_name_en,
    pivoted.enterprise_count,
    pivoted.revenue_ytd_yi_yuan,
    pivoted.revenue_yoy_pct,
    pivoted.profit_ytd_yi_yuan,
    pivoted.revenue_yoy_rank,
    pivoted.pull_points,
    pivoted.contribution_pct,
    pivoted.growth_share_pct,
    pivoted.loss_share_pct,
    coalesce(pivoted.held_fields, {{ list_of() }}) as held_fields
from pivoted
inner join report_tables
    on pivoted.scope_type in (report_tables.table_scope_type, 'district')
left join scopes
    on pivoted.scope_type = scopes.scope_type
    and pivoted.scope_code = scopes.scope_code
