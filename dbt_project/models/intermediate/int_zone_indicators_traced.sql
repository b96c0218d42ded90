-- Cluster indicators, declared once as their terms: one row per contribution, citing its
-- cell, by district, level (省级/培育) and cluster (int_indicator_values sums them).
{%- set scopes = [('zone_level', 'zone_level'), ('zone', 'zone_code')] %}
{%- set terms = [('ZONE_COUNT', 'sum', 1, none, "'zone_name'", none)] %}
{%- for column in ['invested_ytd_wan_yuan', 'revenue_ytd_wan_yuan', 'profit_ytd_wan_yuan',
                   'tax_ytd_wan_yuan', 'enterprise_count', 'above_scale_count'] %}
{%- set code = {'invested_ytd_wan_yuan': 'ZONE_INV_YTD', 'revenue_ytd_wan_yuan': 'ZONE_REV_YTD',
                'profit_ytd_wan_yuan': 'ZONE_PROFIT_YTD', 'tax_ytd_wan_yuan': 'ZONE_TAX_YTD',
                'enterprise_count': 'ZONE_ENT_COUNT', 'above_scale_count': 'ZONE_ABOVE_SCALE_COUNT'}[column] %}
{%- do terms.append((code, 'sum', 1, column, "'" ~ column ~ "'", none)) %}
{%- endfor %}
with

zones as (select * from {{ ref('fct_zone_monthly') }}),

scoped as ({{ scoped_rows('zones', 'month_date', scopes) }}
)

{{ contributions('scoped', 'zones', terms) }}
