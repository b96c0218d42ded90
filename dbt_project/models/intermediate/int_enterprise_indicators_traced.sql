-- Enterprise indicators, declared once as their terms: one row per contribution, citing its
-- cell, by district, board, industry section and PSS category (int_indicator_values sums
-- them). Growth is on the comparable basis: only enterprises reporting both this year's and
-- last year's YTD revenue count. The month's revenue is this month's YTD cell minus last
-- month's.
--
-- 拉动 (ENT_REV_PULL) and 贡献率 (ENT_REV_CONTRIB) are sums: each comparable enterprise adds
-- its increase (this year's cell minus last year's) over the district's base (Σ 上年同期) or
-- over the district's increase, × 100. So a scope's figure is its enterprises' increase in
-- points of the district's growth, or in per cent of the district's increase; the parts of
-- every breakdown add up to the district's ENT_REV_YOY and to 100, and disclosure control
-- treats them as the additive figures they are.
{%- set scopes = [('board', 'board_code'), ('industry_section', 'section_code'), ('pss_category', 'pss_code')] %}
{%- set comparable = 'revenue_ytd_prior_year_wan_yuan > 0' %}
{%- set profit_base = 'operating_profit_ytd_prior_year_wan_yuan is not null' %}
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
    ('ENT_REV_PULL', 'sum', '100.0 / district_base', 'revenue_ytd_wan_yuan', "'revenue_ytd_wan_yuan'", comparable),
    ('ENT_REV_PULL', 'sum', '-100.0 / district_base', 'revenue_ytd_prior_year_wan_yuan', "'revenue_ytd_prior_year_wan_yuan'", comparable),
    ('ENT_REV_CONTRIB', 'sum', '100.0 / district_increase', 'revenue_ytd_wan_yuan', "'revenue_ytd_wan_yuan'", comparable),
    ('ENT_REV_CONTRIB', 'sum', '-100.0 / district_increase', 'revenue_ytd_prior_year_wan_yuan', "'revenue_ytd_prior_year_wan_yuan'", comparable),
    ('ENT_GROWTH_SHARE', 'numerator', 1, none, "'revenue_ytd_wan_yuan'", comparable ~ ' and revenue_ytd_wan_yuan > revenue_ytd_prior_year_wan_yuan'),
    ('ENT_GROWTH_SHARE', 'denominator', 1, none, "'revenue_ytd_prior_year_wan_yuan'", comparable),
    ('ENT_LOSS_SHARE', 'numerator', 1, none, "'operating_profit_ytd_wan_yuan'", 'operating_profit_ytd_wan_yuan < 0'),
    ('ENT_LOSS_SHARE', 'denominator', 1, none, "'operating_profit_ytd_wan_yuan'", 'operating_profit_ytd_wan_yuan is not null'),
    ('ENT_LOSS_AMOUNT', 'sum', -1, 'operating_profit_ytd_wan_yuan', "'operating_profit_ytd_wan_yuan'", "scope_type = 'district' and operating_profit_ytd_wan_yuan < 0"),
    ('ENT_PROFIT_YOY', 'numerator', 1, 'operating_profit_ytd_wan_yuan', "'operating_profit_ytd_wan_yuan'", profit_base),
    ('ENT_PROFIT_YOY', 'numerator', -1, 'operating_profit_ytd_prior_year_wan_yuan', "'operating_profit_ytd_prior_year_wan_yuan'", profit_base),
    ('ENT_PROFIT_YOY', 'denominator', 1, 'operating_profit_ytd_prior_year_wan_yuan', "'operating_profit_ytd_prior_year_wan_yuan'", profit_base),
] %}
with

enterprises as (select * from {{ ref('fct_enterprise_monthly') }}),

-- the district's comparable base and increase in each month: what 拉动 and 贡献率 divide by,
-- summed as decimals (DuckDB sums doubles in parallel, in no fixed order: their last bits, and
-- so every 拉动, would differ from one build to the next)
district_growth as (

    select
        month_date,
        cast(sum(cast(revenue_ytd_prior_year_wan_yuan as decimal(38, 6))) as double)
            as district_base,
        nullif(
            cast(
                sum(
                    cast(revenue_ytd_wan_yuan as decimal(38, 6))
                    - cast(revenue_ytd_prior_year_wan_yuan as decimal(38, 6))
                ) as double
            ),
            0
        ) as district_increase
    from enterprises
    where {{ comparable }}
    group by month_date

),

based as (

    select
        enterprises.*,
        district_growth.district_base,
        district_growth.district_increase
    from enterprises
    left join district_growth on enterprises.month_date = district_growth.month_date

),

scoped as (
    {{ scoped_rows('based', 'month_date', scopes) }}
),

district_rows as (
    select * from scoped
    where scope_type = 'district'
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
union all
-- the district's losses are 0, not absent, in a month without a loss (the district only: a
-- board's or a section's losses would be one or two enterprises' figures)
{{ frame('district_rows', ['ENT_LOSS_AMOUNT'], 'enterprises') }}
