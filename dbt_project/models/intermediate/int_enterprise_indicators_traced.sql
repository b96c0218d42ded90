-- Enterprise indicators, declared once as their terms: one row per contribution, citing its
-- cell, by district, board, industry section and PSS category (int_indicator_values sums
-- them). Growth is on the comparable basis: only enterprises reporting both this year's and
-- last year's YTD revenue count. The month's revenue is this month's YTD cell minus last
-- month's.
{%- set scopes = [('board', 'board_code'), ('industry_section', 'section_code'), ('pss_category', 'pss_code')] %}
{%- set comparable = 'revenue_ytd_prior_year_wan_yuan > 0' %}
{%- set terms = [
    ('ENT_COUNT', 'sum', 1, none, "'credit_code'", none),
    ('ENT_REV_YTD', 'sum', 1, 'revenue_ytd_wan_yuan', "'revenue_ytd_wan_yuan'", none),
    ('ENT_PROFIT_YTD', 'sum', 1, 'operating_profit_ytd_wan_yuan', "'operating_profit_ytd_wan_yuan'", none),
    ('ENT_EMPLOYEES', 'sum', 1, 'employees', "'employees'", none),
    ('ENT_STAR_COUNT', 'sum', 1, none, "'star_rating'", 'is_star_enterprise'),
    ('ENT_REV_YOY', 'numerator', 1, 'revenue_ytd_wan_yuan', "'revenue_ytd_wan_yuan'", comparable),
    ('ENT_REV_YOY', 'numerator', -1, 'revenue_ytd_prior_year_wan_yuan', "'revenue_ytd_prior_year_wan_yuan'", comparable),
    ('ENT_REV_YOY', 'denominator', 1, 'revenue_ytd_prior_year_wan_yuan', "'revenue_ytd_prior_year_wan_yuan'", comparable),
    ('ENT_REV_MONTH', 'sum', 1, 'revenue_ytd_wan_yuan', "'revenue_ytd_wan_yuan'", 'revenue_month_wan_yuan is not null'),
] %}
with

enterprises as (select * from {{ ref('fct_enterprise_monthly') }}),

scoped as (
    {{ scoped_rows('enterprises', 'month_date', scopes) }}
),

-- last month's YTD cell, subtracted where the month's revenue is the difference
previous_month as (

    select
        scoped.period,
        scoped.scope_type,
        scoped.scope_code,
        scoped.credit_code,
        earlier.revenue_ytd_wan_yuan,
        earlier.source_file,
        earlier.excel_row,
        earlier.load_id
    from scoped
    inner join enterprises as earlier
        on scoped.credit_code = earlier.credit_code
        and earlier.month_date = scoped.month_date - interval 1 month
        and year(earlier.month_date) = year(scoped.month_date)
    where scoped.revenue_month_wan_yuan is not null

)

{{ contributions('scoped', 'enterprises', terms, 'credit_code') }}
union all
{{ contributions('previous_month', 'enterprises', [
    ('ENT_REV_MONTH', 'sum', -1, 'revenue_ytd_wan_yuan', "'revenue_ytd_wan_yuan'", none),
], 'credit_code') }}
union all
{{ frame('scoped', ['ENT_STAR_COUNT'], 'enterprises') }}
