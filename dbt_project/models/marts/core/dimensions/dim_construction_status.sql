select
    status_code,
    status_name,
    is_started,
    is_in_use
from {{ ref('ref_construction_statuses') }}
