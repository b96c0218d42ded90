-- Disclosure control, checked on what it left: every figure a primary rule covers is held,
-- and every held figure's range given the released ones (the audit) reaches beyond the
-- protection interval on both sides. A row here is a figure that could identify a respondent.
{{ config(meta={'description': '保密审查：凡企业少于3家或一家占比超过85%的数值均不公布，且每个不公布的数值在已公布数据下的可推算区间超出其±10% / disclosure control holds every figure of fewer than 3 contributors or one over 85 %, and every held figure could be 10 % either side of its value given the released ones'}) }}
{%- set rules = var('disclosure_control') %}
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
