{#- The scopes an indicator model reports for: the district, and one scope type per grouping
    column. `scopes` is a list of (scope_type, column); a row's scope is the one column it
    is grouped by, or the district. -#}
{% macro scope_columns(scopes) -%}
    case
        {%- for scope_type, column in scopes %}
        when grouping({{ column }}) = 0 then '{{ scope_type }}'
        {%- endfor %}
        else 'district'
    end as scope_type,
    coalesce({% for _, column in scopes %}{{ column }}, {% endfor %}'{{ var("district_code") }}')
        as scope_code
{%- endmacro %}

{% macro scope_grouping_sets(period_column, scopes) -%}
    grouping sets (
        ({{ period_column }})
        {%- for _, column in scopes %}, ({{ period_column }}, {{ column }}){% endfor %}
    )
{%- endmacro %}
