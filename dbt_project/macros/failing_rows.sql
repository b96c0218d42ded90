{#-
  dbt's not_null, accepted_values and relationships tests, returning the failing rows whole.
  A row of psw carries the spreadsheet it came from (source_file, excel_row), so when a test
  fails on data, psw names the file and rows and rejects that file instead of leaving every
  later build failing the same way (orchestration/lib/build_failures.py). The conditions are
  dbt's own.
-#}

{% macro duckdb__test_not_null(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} is null
{% endmacro %}

{% macro duckdb__test_accepted_values(model, column_name, values, quote=True) %}
select *
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in (
    {%- for value in values -%}
        {% if quote %}'{{ value }}'{% else %}{{ value }}{% endif %}
        {%- if not loop.last %}, {% endif -%}
    {%- endfor -%}
    )
{% endmacro %}

{% macro duckdb__test_relationships(model, column_name, to, field) %}
select child.*
from {{ model }} as child
left join {{ to }} as parent
    on child.{{ column_name }} = parent.{{ field }}
where child.{{ column_name }} is not null
    and parent.{{ field }} is null
{% endmacro %}
