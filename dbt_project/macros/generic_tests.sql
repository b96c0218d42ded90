{#- The few generic tests psw needs that dbt does not ship (no hub packages offline). -#}

{% test at_least(model, column_name, value, where_clause=none) %}
select *
from {{ model }}
where {{ column_name }} < {{ value }}
{% if where_clause %} and ({{ where_clause }}){% endif %}
{% endtest %}

{% test not_above(model, column_name, other_column, tolerance=0) %}
select *
from {{ model }}
where {{ column_name }} > {{ other_column }} + {{ tolerance }}
{% endtest %}

{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
