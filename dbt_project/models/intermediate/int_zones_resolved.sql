-- Cluster figures with the cluster (written by full or short name) resolved to its code.
with

zones as (select * from {{ ref('stg_zones__zone_reports') }}),

reference as (select * from {{ ref('dim_zone') }})

select
    zones.month_date,
    reference.zone_code,
    reference.zone_level,
    reference.board_code,
    zones.invested_ytd_wan_yuan,
    zones.revenue_ytd_wan_yuan,
    zones.profit_ytd_wan_yuan,
    zones.tax_ytd_wan_yuan,
    zones.enterprise_count,
    zones.above_scale_count,
    zones.employees,
    zones.source_file,
    zones.excel_row,
    zones.load_id
from zones
left join reference
    on zones.zone_name_as_written
    in (reference.zone_code, reference.zone_name, reference.short_name)
