select
    section_code,
    section_name,
    division_from,
    division_to
from {{ ref('ref_gbt4754_sections') }}
