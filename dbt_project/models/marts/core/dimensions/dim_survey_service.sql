select
    services.service_code,
    services.service_name,
    services.pss_code,
    categories.pss_name
from {{ ref('ref_survey_services') }} as services
left join {{ ref('ref_pss2019_categories') }} as categories using (pss_code)
