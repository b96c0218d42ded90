-- Disclosure control, checked on what it left: every figure a primary rule covers is held,
-- and every held figure's range given the released ones (the audit) reaches beyond the
-- protection interval on both sides. A row here is a figure that could identify a respondent.
{%- set rules = var('disclosure_control') %}
{%- set dominance = (rules.dominance_share * 100) | round | int ~ '%' %}
{%- set protection = (rules.protection_share * 100) | round | int ~ '%' %}
{{ config(meta={'description': '保密审查：凡企业少于' ~ rules.min_contributors ~ '家或一家占比超过' ~ dominance ~ '的数值均不公布，且每个不公布的数值在已公布数据下的可推算区间超出其±' ~ protection ~ ' / disclosure control holds every figure of fewer than ' ~ rules.min_contributors ~ ' contributors or one over ' ~ dominance ~ ', and every held figure could be ' ~ protection ~ ' either side of its value given the released ones'}) }}
select
    indicator_code,
    period,
    scope_type,
    scope_code,
    conf_status,
    contributors,
    largest_share,
    audit_lower,
    audit_upper
from {{ ref('fct_indicator_disclosure') }}
where
    (
        conf_status = 'F'
        and (
            contributors < {{ rules.min_contributors }}
            or largest_share > {{ rules.dominance_share }}
        )
    )
    or (
        conf_status != 'F'
        and not (
            audit_upper >= value + {{ rules.protection_share }} * abs(value) - 1e-6
            and audit_lower <= value - {{ rules.protection_share }} * abs(value) + 1e-6
            and audit_upper > audit_lower
        )
    )
