{#- Models land in the schema their folder names (staging, marts, reference), not in
    <target>_<schema>: analysts query marts.fct_indicator_value. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
