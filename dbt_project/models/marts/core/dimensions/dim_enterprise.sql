-- The latest reported attributes of each above-scale producer-service enterprise.
select
    credit_code,
    enterprise_name,
    board_code,
    zone_code,
    industry_code,
    section_code,
    pss_code,
    star_rating,
    month_date as latest_month_date
from {{ ref('int_enterprises_resolved') }}
qualify row_number() over (partition by credit_code order by month_date desc) = 1
