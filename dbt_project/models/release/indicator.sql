-- The indicator catalogue as released: names, units, definitions, targets, and which
-- indicators disclosure control covers.
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
    display_factor,
    headline_order,
    growth_indicator_code,
    covers_since_previous,
    disclosure
from {{ ref('dim_indicator') }}
