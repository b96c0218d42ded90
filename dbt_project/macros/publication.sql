{#- The publication a build belongs to. Dagster sets PSW_PUBLICATION_ID to its run's id: the
    run publishes the warehouse when it ends (raw.publications records when). A build started
    by hand is its own invocation, never published: the next run copies the published file
    afresh. -#}
{% macro publication_id() -%}
    '{{ env_var("PSW_PUBLICATION_ID", "") or invocation_id }}'
{%- endmacro %}

{#- An append-only log's pre-hook: forget what an earlier build of the same run recorded, so
    that the run publishes what its last build found (a build rejected on data is built
    again in the same run). -#}
{% macro forget_this_publication() -%}
    {{ return(adapter.dispatch('forget_this_publication', 'psw')()) }}
{%- endmacro %}

{#- Spark: no DELETE on Parquet; a build there is its own publication (docs/scale.md). -#}
{% macro spark__forget_this_publication() -%}{%- endmacro %}

{% macro default__forget_this_publication() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where published_by = {{ publication_id() }}
    {%- endif -%}
{%- endmacro %}

{#- The history's post-hook: `marts.indicator_value_as_of(timestamp)`, a table macro any DuckDB
    client can call, returns every indicator value as it was published at that time (UTC). -#}
{% macro create_indicator_value_as_of() -%}
    {{ return(adapter.dispatch('create_indicator_value_as_of', 'psw')()) }}
{%- endmacro %}

{#- Spark has no table macros: there the as-of read is the history's where clause
    (valid_from <= t and (valid_to is null or valid_to > t) and not is_removed). -#}
{% macro spark__create_indicator_value_as_of() -%}{%- endmacro %}

{% macro default__create_indicator_value_as_of() -%}
    create or replace macro {{ this.schema }}.indicator_value_as_of(as_of) as table
    select
        indicator_code, period, scope_type, scope_code, value, unit, target_value, target_met,
        valid_from, published_by
    from {{ this.include(database=False) }}
    where valid_from <= cast(as_of as timestamp)
        and (valid_to is null or valid_to > cast(as_of as timestamp))
        and not is_removed
{%- endmacro %}
