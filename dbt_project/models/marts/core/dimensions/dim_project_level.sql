select
    level_code,
    level_name
from {{ ref('ref_project_levels') }}
