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

{#- The columns a model must always fill, as one test rather than dbt's not_null on each: every
    test is a node dbt runs and a check Dagster records at each build, and a model has up to
    ten such columns. The failing rows come back whole (see failing_rows.sql), with the names
    of their empty columns. -#}
{% test not_null_columns(model, column_names) %}
select
    *,
    concat_ws(', '
    {%- for column in column_names %}, case when {{ column }} is null then '{{ column }}' end{% endfor -%}
    ) as empty_columns
from {{ model }}
where {% for column in column_names %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}

{#- A released row whose status says held must carry no value, and a free one must: the
    release never holds a figure disclosure control held. -#}
{% test value_absent_where_held(model, column_name) %}
select *
from {{ model }}
where ({{ column_name }} != 'F' and value is not null)
    or ({{ column_name }} = 'F' and value is null)
{% endtest %}
