{#- The run's half-open window of months, [PSW_MIN_MONTH, PSW_MAX_MONTH), on a date column.
    Dagster sets both for its build; without them every month is built. They are environment
    variables rather than --vars: dbt parses the whole project again when its vars change,
    but only the files that read an environment variable when that changes. -#}
{% macro month_window_start() -%}
    date '{{ env_var("PSW_MIN_MONTH", "1900-01-01") }}'
{%- endmacro %}

{% macro month_window_end() -%}
    date '{{ env_var("PSW_MAX_MONTH", "2999-12-01") }}'
{%- endmacro %}

{% macro in_month_window(column) -%}
    {{ column }} >= {{ month_window_start() }} and {{ column }} < {{ month_window_end() }}
{%- endmacro %}

{#- The years the window touches, on an integer year column: the same rows as
    in_month_window's and more, but a filter that goes below a window function partitioned by
    that column (one on the month cannot: it would change what the window sees). -#}
{% macro in_month_window_years(column) -%}
    {{ column }} between year({{ month_window_start() }}) and year({{ month_window_end() }})
{%- endmacro %}

{#-
  An incremental model's pre-hook: empty the run's window before the new rows go in.
  delete+insert alone deletes only the months the new rows name, so a month whose rows all
  went (a file rejected, a month withdrawn) would keep its old rows for ever.
-#}
{% macro delete_month_window() -%}
    {{ return(adapter.dispatch('delete_month_window', 'psw')()) }}
{%- endmacro %}

{#- Spark: no DELETE on Parquet; the table is partitioned by month and insert_overwrite
    replaces the months the new rows have (macros/cross_engine.sql, month_partitions). -#}
{% macro spark__delete_month_window() -%}{%- endmacro %}

{% macro default__delete_month_window() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_month_window(config.get('unique_key')) }}
    {%- endif -%}
{%- endmacro %}
