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
    display_decimals,
    -- what a value in the indicator's unit is multiplied by to read in the display unit
    case when unit = '万元' and display_unit = '亿元' then 0.0001 else 1 end as display_factor,
    headline_order,
    growth_indicator_code,
    coalesce(covers_since_previous, false) as covers_since_previous,
    disclosure
from {{ ref('ref_indicators') }}
