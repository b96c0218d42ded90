-- Enterprises with codes resolved and the month's revenue derived from the YTD figures:
-- YTD this month − YTD last month for the same enterprise; January (or, with no January
-- file, February's 1-2月) is the YTD itself; no previous month in the year -> null.
-- The window is partitioned by report_year, a column of its own: a filter on it (the years a
-- build covers, see in_month_window_years) goes below the window, where one on the month
-- cannot, so a build reads its years rather than the whole history.
with

enterprises as (
    select
        *,
        year(month_date) as report_year
    from {{ ref('stg_enterprises__revenue_reports') }}
),

-- The codes are looked up by equality (a board by its code or its name, a zone by any of its
-- three names, a section by each of its divisions): the history holds millions of rows, and
-- joins on `in (…)` or `between` compare each of them with every board, zone and section.
board_keys as (
    select
        board_code as name_or_code,
        board_code
    from {{ ref('dim_board') }}
    union
    select
        board_name,
        board_code
    from {{ ref('dim_board') }}
),

zone_keys as (
    select
        zone_code as name_or_code,
        zone_code
    from {{ ref('dim_zone') }}
    union
    select
        zone_name,
        zone_code
    from {{ ref('dim_zone') }}
    union
    select
        short_name,
        zone_code
    from {{ ref('dim_zone') }}
    where short_name is not null
),

-- every two-digit division, 00 to 99
divisions as (
    select lpad(cast(r.d as string), 2, '0') as division
    from range(100) as r (d)
),

division_keys as (
    select
        divisions.division,
        sections.section_code
    from {{ ref('dim_industry_section') }} as sections
    inner join divisions
        on divisions.division between sections.division_from and sections.division_to
),

resolved as (

    select
        enterprises.month_date,
        enterprises.report_year,
        enterprises.credit_code,
        enterprises.enterprise_name,
        board_keys.board_code,
        zone_keys.zone_code,
        enterprises.industry_code,
        division_keys.section_code,
        enterprises.pss_code,
        enterprises.revenue_ytd_wan_yuan,
        enterprises.revenue_ytd_prior_year_wan_yuan,
        enterprises.operating_profit_ytd_wan_yuan,
        enterprises.operating_profit_ytd_prior_year_wan_yuan,
        enterprises.employees,
        enterprises.star_rating,
        enterprises.source_file,
        enterprises.excel_row,
        enterprises.load_id,
        lag(enterprises.month_date) over same_enterprise_year as previous_month_date,
        lag(enterprises.revenue_ytd_wan_yuan) over same_enterprise_year as previous_revenue_ytd
    from enterprises
    left join board_keys on enterprises.board_name_or_code = board_keys.name_or_code
    left join zone_keys on enterprises.zone_name_or_code = zone_keys.name_or_code
    left join division_keys on enterprises.industry_division = division_keys.division
    window same_enterprise_year as (
        partition by enterprises.credit_code, enterprises.report_year
        order by enterprises.month_date
    )

)

select
    month_date,
    report_year,
    credit_code,
    enterprise_name,
    board_code,
    zone_code,
    industry_code,
    section_code,
    pss_code,
    revenue_ytd_wan_yuan,
    revenue_ytd_prior_year_wan_yuan,
    operating_profit_ytd_wan_yuan,
    operating_profit_ytd_prior_year_wan_yuan,
    employees,
    star_rating,
    star_rating is not null as is_star_enterprise,
    case
        when month(month_date) = 1 then revenue_ytd_wan_yuan
        when month(month_date) = 2 and previous_month_date is null then revenue_ytd_wan_yuan
        when previous_month_date = month_date - interval 1 month
            then revenue_ytd_wan_yuan - previous_revenue_ytd
    end as revenue_month_wan_yuan,
    source_file,
    excel_row,
    load_id
from resolved
