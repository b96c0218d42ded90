{#- The run's half-open window of months, [min_month, max_month), on a date column. -#}
{% macro in_month_window(column) -%}
    {{ column }} >= date '{{ var("min_month") }}' and {{ column }} < date '{{ var("max_month") }}'
{%- endmacro %}
