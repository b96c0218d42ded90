{#- The run's half-open window of months, [min_month, max_month), on a date column. -#}
{% macro in_month_window(column) -%}
    {{ column }} >= date '{{ var("min_month") }}' and {{ column }} < date '{{ var("max_month") }}'
{%- endmacro %}

{#-
  An incremental model's pre-hook: empty the run's window before the new rows go in.
  delete+insert alone deletes only the months the new rows name, so a month whose rows all
  went (a file rejected, a month withdrawn) would keep its old rows for ever.
-#}
{% macro delete_month_window() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_month_window(config.get('unique_key')) }}
    {%- endif -%}
{%- endmacro %}
