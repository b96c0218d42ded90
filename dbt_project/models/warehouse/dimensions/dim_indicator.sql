select
    indicator_code,
    indicator_name_zh,
    indicator_name_en,
    unit,
    source,
    definition,
    required_scopes,
    target_rule,
    target_value,
    target_from_month,
    target_scope_type,
    period_kind,
    decimals,
    display_unit,
    display_decimals
from {{ ref('ref_indicators') }}
