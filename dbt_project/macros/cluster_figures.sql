{# The clusters' figures of one scope (the district, a level), in 表6's columns, from the
   labelled indicator values grouped by period. #}
{% macro cluster_figures() %}
    max(display_value) filter (where indicator_code = 'ZONE_INV_YTD') as invested_ytd_yi_yuan,
    max(display_value) filter (where indicator_code = 'ZONE_REV_YTD') as revenue_ytd_yi_yuan,
    max(display_value) filter (where indicator_code = 'ZONE_PROFIT_YTD') as profit_ytd_yi_yuan,
    max(display_value) filter (where indicator_code = 'ZONE_TAX_YTD') as tax_ytd_yi_yuan,
    max(display_value) filter (where indicator_code = 'ZONE_ENT_COUNT') as enterprise_count,
    max(display_value) filter (where indicator_code = 'ZONE_ABOVE_SCALE_COUNT')
        as above_scale_count
{% endmacro %}
