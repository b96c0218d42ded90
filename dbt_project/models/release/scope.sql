-- Every scope's Chinese and English name (boards, clusters, sections, categories, services).
select
    scope_type,
    scope_code,
    scope_name_zh,
    scope_name_en,
    scope_order
from {{ ref('dim_scope') }}
