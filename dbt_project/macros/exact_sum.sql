{#- A sum of money that is the same on every run: DuckDB sums doubles in parallel, in no
    fixed order, so their last bits vary; six decimals of 万元 sum exactly as decimals. -#}
{% macro exact_sum(expression, where=none) -%}
    cast(
        sum(cast({{ expression }} as decimal(38, 6)))
        {%- if where %} filter (where {{ where }}){% endif %}
        as double
    )
{%- endmacro %}
