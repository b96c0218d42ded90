-- Enterprises with codes resolved and the month's revenue derived from the YTD figures:
-- YTD this month − YTD last month for the same enterprise; January (or, with no January
-- file, February's 1-2月) is the YTD itself; no previous month in the year -> null.
with

enterprises as (select * from {{ ref('stg_enterprises__revenue_reports') }}),
boards as (select * from {{ ref('dim_board') }}),
zones as (select * from {{ ref('dim_zone') }}),
sections as (select * from {{ ref('dim_industry_section') }}),

resolved as (

    select
        enterprises.month_date,
        enterprises.credit_code,
        enterprises.enterprise_name,
        boards.board_code,
        zones.zone_code,
        enterprises.industry_code,
        sections.section_code,
        enterprises.pss_code,
        enterprises.revenue_ytd_wan_yuan,
        enterprises.revenue_ytd_prior_year_wan_yuan,
        enterprises.operating_profit_ytd_wan_yuan,
        enterprises.employees,
        enterprises.star_rating,
        enterprises.source_file,
        enterprises.excel_row,
        enterprises.load_id,
        lag(enterprises.month_date) over same_enterprise_year as previous_month_date,
        lag(enterprises.revenue_ytd_wan_yuan) over same_enterprise_year as previous_revenue_ytd
    from enterprises
    left join boards on enterprises.board_name_or_code in (boards.board_code, boards.board_name)
    left join zones
        on enterprises.zone_name_or_code in (zones.zone_code, zones.zone_name, zones.short_name)
    left join sections
        on enterprises.industry_division between sections.division_from and sections.division_to
    window same_enterprise_year as (
        partition by enterprises.credit_code, year(enterprises.month_date)
        order by enterprises.month_date
    )

)

select
    month_date,
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
