select
    zones.zone_code,
    zones.zone_name,
    zones.short_name,
    zones.zone_level,
    zones.board_code,
    boards.board_name,
    zones.lead_services
from {{ ref('ref_zones') }} as zones
left join {{ ref('ref_boards') }} as boards using (board_code)
