-- The city bureau's table, one row per area and industry: 'ALL' for all above-scale services
-- (规模以上服务业), then each GB/T 4754 section the city publishes (the var city_sections). Each
-- row names the raw columns its figures were read from, so a value cites its cell.
with

source as (

    {{ current_rows('city') }}

)

{% for scope in ['ALL'] + var('city_sections') %}
{%- set prefix = 'svc' if scope == 'ALL' else scope | lower %}
select
    {{ month_start('month') }} as month_date,
    area as area_as_written,
    '{{ scope }}' as industry_scope,
    {{ prefix }}_revenue_ytd_wan_yuan as revenue_ytd_wan_yuan,
    {{ prefix }}_revenue_yoy_pct as revenue_yoy_pct,
    '{{ prefix }}_revenue_ytd_wan_yuan' as revenue_column,
    '{{ prefix }}_revenue_yoy_pct' as yoy_column,
    {{ lineage_columns() }}
from source
{%- if scope != 'ALL' %}
-- a section the city does not publish for the area: no row
where {{ prefix }}_revenue_ytd_wan_yuan is not null or {{ prefix }}_revenue_yoy_pct is not null
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
