{#- One dbt project, two engines (docs/scale.md). DuckDB is the default; the same models build
    on Spark (dbt-spark). What the two engines write differently is here, behind
    adapter.dispatch('name', 'psw'): a `default__` (DuckDB's) and a `spark__` for each. -#}

{#- Spark's raw layer: each raw source a table over its Parquet folder, $PSW_SPARK_HOME/raw/<table>
    (orchestration/lib/dbt/spark.py exports a DuckDB warehouse's raw schema there). An
    on-run-start hook: nothing on DuckDB, where Dagster's assets write the raw tables. -#}
{% macro register_raw_parquet() -%}
    {{ return(adapter.dispatch('register_raw_parquet', 'psw')()) }}
{%- endmacro %}

{% macro default__register_raw_parquet() -%}{%- endmacro %}

{% macro spark__register_raw_parquet() -%}
    {%- set folder = env_var('PSW_SPARK_HOME', '../warehouse/spark') ~ '/raw' -%}
    {%- if execute -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
            {%- do run_query('drop table if exists raw.' ~ node.name) -%}
            {%- do run_query(
                "create table raw." ~ node.name ~ " using parquet location '"
                ~ folder ~ "/" ~ node.name ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{#- A list literal: `['a', 'b']` on DuckDB, `array('a', 'b')` on Spark (empty: no items). -#}
{% macro list_of() -%}
    {{ return(adapter.dispatch('list_of', 'psw')(varargs)) }}
{%- endmacro %}

{% macro default__list_of(items) -%}
    [{{ items | join(', ') }}]
{%- endmacro %}

{% macro spark__list_of(items) -%}
    array({{ items | join(', ') }})
{%- endmacro %}

{#- An aggregate: the group's values as a sorted list (flattened first, for list values). -#}
{% macro sorted_list(expression, flatten=false, where=none) -%}
    {{ return(adapter.dispatch('sorted_list', 'psw')(expression, flatten, where)) }}
{%- endmacro %}

{% macro default__sorted_list(expression, flatten, where) -%}
    {%- set gathered = 'list(' ~ expression ~ ')' ~ (' filter (where ' ~ where ~ ')' if where else '') -%}
    list_sort({{ 'flatten(' ~ gathered ~ ')' if flatten else gathered }})
{%- endmacro %}

{% macro spark__sorted_list(expression, flatten, where) -%}
    {%- set gathered = 'collect_list(' ~ expression ~ ')' ~ (' filter (where ' ~ where ~ ')' if where else '') -%}
    array_sort({{ 'flatten(' ~ gathered ~ ')' if flatten else gathered }})
{%- endmacro %}

{#- The first day of each month in [start, end), as the column month_date. -#}
{% macro month_series(start, end) -%}
    {{ return(adapter.dispatch('month_series', 'psw')(start, end)) }}
{%- endmacro %}

{% macro default__month_series(start, end) -%}
    select cast(range as date) as month_date
    from range(date '{{ start }}', date '{{ end }}', interval 1 month)
{%- endmacro %}

{% macro spark__month_series(start, end) -%}
    select explode(sequence(
        date '{{ start }}', date_sub(date '{{ end }}', 1), interval 1 month
    )) as month_date
{%- endmacro %}

{#- Now, in UTC, as a timestamp without a time zone (Spark's session time zone is UTC:
    profiles.yml); $PSW_BUILD_TIME instead where set (a build replayed at a given time: the
    parity test's two engines record the same). -#}
{% macro utc_now() -%}
    {%- set fixed = env_var('PSW_BUILD_TIME', '') -%}
    {%- if fixed -%}
        {{ return("timestamp '" ~ fixed ~ "'") }}
    {%- endif -%}
    {{ return(adapter.dispatch('utc_now', 'psw')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    cast(timezone('UTC', now()) as timestamp)
{%- endmacro %}

{% macro spark__utc_now() -%}
    cast(current_timestamp() as timestamp)
{%- endmacro %}

{#- dbt's contracts check a column's declared type by casting a null to it (dbt.cast): psw
    declares a list as `string[]`, DuckDB's spelling; Spark spells it array<string>. -#}
{% macro spark__cast(field, type) -%}
    {%- set type = type | trim -%}
    {%- if type.endswith('[]') -%}
        {%- set type = 'array<' ~ type[:-2] ~ '>' -%}
    {%- endif -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{#- What Spark does instead, on plain Parquet tables (no DELETE: Delta and Iceberg, which have
    it, need jars from a Maven repository). An incremental fact or indicator table is
    partitioned by its month and rebuilt with insert_overwrite: the window's months that have
    rows are replaced whole (a month whose rows all went keeps its last ones: docs/scale.md). -#}
{% macro month_partitions(column) -%}
    {{ return(adapter.dispatch('month_partitions', 'psw')(column)) }}
{%- endmacro %}

{% macro default__month_partitions(column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__month_partitions(column) -%}
    {{ return([column]) }}
{%- endmacro %}

{#- The incremental strategy of a table rebuilt by months (dbt_project.yml spells the same for
    the facts: its configs cannot call macros). -#}
{% macro month_strategy() -%}
    {{ return('insert_overwrite' if target.type == 'spark' else 'delete+insert') }}
{%- endmacro %}

{#- A code list's rows in their published order: DuckDB's rowid; on Spark the order the seed's
    one file holds them in (a seed is written by one insert). -#}
{% macro row_order() -%}
    {{ return(adapter.dispatch('row_order', 'psw')()) }}
{%- endmacro %}

{% macro default__row_order() -%}
    rowid
{%- endmacro %}

{% macro spark__row_order() -%}
    monotonically_increasing_id()
{%- endmacro %}

{#- dbt-spark's seeds on the `session` method write a value as '%s' unescaped, an empty cell as
    the string 'None' (a code list's note, an apostrophe in a name): psw writes each value as
    an escaped literal, an empty cell as null, then casts it to the column's type. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            {#- one file, its rows in the CSV's order (row_order) -#}
            insert into {{ this.render() }} select /*+ COALESCE(1) */ * from values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set column = agate_table.column_names[loop.index0] -%}
                    {%- set type = column_override.get(column, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {{- ', ' if not loop.last -}}
                {%- endfor -%})
                {{- ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- round(x, d) as DuckDB rounds a double: the double's exact binary value to d places, halves
    away from zero (0.075 → 0.07: the double is 0.07499999…). Spark's round goes through the
    decimal the double prints as (0.075 → 0.08) and takes only a constant d. On Spark: p = x × 10^d
    with its rounding error e, exactly (Dekker's product); where p is a half, e says which way
    the exact value lies. -#}
{% macro round_to(expression, decimals) -%}
    {{ return(adapter.dispatch('round_to', 'psw')(expression, decimals)) }}
{%- endmacro %}

{% macro default__round_to(expression, decimals) -%}
    round({{ expression }}, {{ decimals }})
{%- endmacro %}

{% macro spark__round_to(expression, decimals) -%}
    {#- the expression bound once, to x (a lambda over a one-element array): psw's rounds nest -#}
    {%- set m = 'power(10, ' ~ decimals ~ ')' -%}
    {%- set xc = '(134217729d * x)' -%}
    {%- set xh = '(' ~ xc ~ ' - (' ~ xc ~ ' - x))' -%}
    {%- set mc = '(134217729d * ' ~ m ~ ')' -%}
    {%- set mh = '(' ~ mc ~ ' - (' ~ mc ~ ' - ' ~ m ~ '))' -%}
    {%- set e = '(((' ~ xh ~ ' * ' ~ mh ~ ' - x * ' ~ m ~ ') + ' ~ xh ~ ' * (' ~ m ~ ' - ' ~ mh
        ~ ') + (x - ' ~ xh ~ ') * ' ~ mh ~ ') + (x - ' ~ xh ~ ') * (' ~ m ~ ' - ' ~ mh ~ '))' -%}
    element_at(transform(array(cast({{ expression }} as double)), x -> case
        when x * {{ m }} - floor(x * {{ m }}) = 0.5d and {{ e }} > 0 then ceil(x * {{ m }})
        when x * {{ m }} - floor(x * {{ m }}) = 0.5d and {{ e }} < 0 then floor(x * {{ m }})
        else round(x * {{ m }})
    end / {{ m }}), 1)
{%- endmacro %}
