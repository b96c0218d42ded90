{#- What every staging model of a delivered source shares.

  `current_rows(table)`: the raw table's current version of each month (a month delivered
  again supersedes its earlier version, which stays in raw).
  `month_start(column)`: a 'YYYY-MM' column as the first day of its month.
  `lineage_columns()`: where each row came from: its Excel row, file, the file's SHA-256, and
  the load that wrote it. -#}
{% macro current_rows(table) -%}
    select * from {{ source('raw', table) }} where superseded_at is null
{%- endmacro %}

{% macro month_start(column) -%}
    cast({{ column }} || '-01' as date)
{%- endmacro %}

{% macro lineage_columns() -%}
        excel_row,
        source_file,
        source_sha256,
        loaded_at,
        load_id
{%- endmacro %}
