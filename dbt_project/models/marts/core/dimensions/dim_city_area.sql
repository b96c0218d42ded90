-- Changzhou's areas as the city bureau's table lists them (reference/city_areas.csv); the city
-- itself is the 全市 row.
select
    area_code,
    area_name,
    short_name,
    area_type,
    area_type = '市' as is_city_total,
    area_code = '{{ var("district_code") }}' as is_district
from {{ ref('ref_city_areas') }}
