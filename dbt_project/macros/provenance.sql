{#- The provenance of indicator values: which rows, and which cells of them, make each value.

  `scoped_rows(relation, period_column, scopes)`: every row of a fact once for the district and
  once for each scope it counts in, as the indicator models group them (scopes: a list of
  (scope_type, column)).

  `contributions(rows, raw_table, terms)`: one row per term a row contributes. A term is
  (indicator_code, term, sign, figure, cell, where):
    term    'sum' (the value is the sum of its contributions), 'numerator' or 'denominator' (the
            value is Σ numerator ÷ Σ denominator × 100, plus any 'offset');
    figure  the raw column summed (in the warehouse's unit), or none for a count (each row 1);
    cell    a SQL expression naming the raw column whose cell the row cites;
    where   the rows that count, or none.
  The contribution is sign × figure (or sign × 1), in the indicator's unit.

  `no_cell(raw_table)`: the columns of a contribution that no cell holds (序时进度, a rank's
  shares), from raw_value to load_id. -#}
{% macro scoped_rows(relation, period_column, scopes) -%}
    select *, {{ period_column }} as period, 'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from {{ relation }}
    {%- for scope_type, column in scopes %}
    union all
    select *, {{ period_column }}, '{{ scope_type }}', {{ column }}
    from {{ relation }}
    where {{ column }} is not null
    {%- endfor %}
{%- endmacro %}

{% macro contributions(rows, raw_table, terms) -%}
    {%- for indicator, term, sign, figure, cell, where in terms %}
    select
        '{{ indicator }}' as indicator_code,
        period,
        scope_type,
        scope_code,
        '{{ term }}' as term,
        {{ sign }} * {{ 'cast(' ~ figure ~ ' as double)' if figure else '1.0' }} as contribution,
        {{ 'cast(' ~ figure ~ ' as double)' if figure else 'cast(null as double)' }} as raw_value,
        '{{ raw_table }}' as raw_table,
        {{ cell }} as cell_column,
        source_file,
        excel_row,
        load_id,
        cast(null as varchar) as ranked_scope_code
    from {{ rows }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro no_cell(raw_table) -%}
        cast(null as double) as raw_value,
        '{{ raw_table }}' as raw_table,
        cast(null as varchar) as cell_column,
        cast(null as varchar) as source_file,
        cast(null as bigint) as excel_row,
        cast(null as varchar) as load_id,
{%- endmacro %}
