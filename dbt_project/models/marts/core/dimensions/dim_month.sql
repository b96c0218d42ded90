with

months as (

    {{ month_series('2020-01-01', '2031-01-01') }}

)

select
    month_date,
    substr(cast(month_date as string), 1, 7) as month_key,
    year(month_date) as year_number,
    month(month_date) as month_number,
    quarter(month_date) as quarter_number,
    case when month(month_date) <= 6 then 1 else 2 end as half_year_number,
    year(month_date) || '年' || month(month_date) || '月' as month_label_zh,
    -- 序时进度: the share of the year elapsed at the end of the month
    month(month_date) / cast(12 as double) * 100 as time_schedule_pct
from months
