-- The indicator table as released: every value of fct_indicator_value, a held one without
-- its value (and whether it meets its target). Primary and secondary holds are both released
-- as CONF_STATUS C: the release does not say which held figure is the sensitive one.
select
    indicator_code,
    period,
    scope_type,
    scope_code,
    if(conf_status = 'F', value, null) as value,
    unit,
    target_value,
    if(conf_status = 'F', target_met, null) as target_met,
    if(conf_status = 'F', 'F', 'C') as conf_status
from {{ ref('fct_indicator_value') }}
