select
    pss_code,
    pss_name
from {{ ref('ref_pss2019_categories') }}
