select
    board_code,
    board_name,
    board_type,
    nbs_area_code
from {{ ref('ref_boards') }}
