with

months as (

    select cast(range as date) as month_date
    from range(date '2020-01-01', date '2031-01-01', interval 1 month)

)

select
    month_date,
    strftime(month_date, '%Y-%m') as month_key,
    year(month_date) as year_number,
    month(month_date) as month_number,
    quarter(month_date) as quarter_number,
    case when month(month_date) <= 6 then 1 else 2 end as half_year_number,
    year(month_date) || '年' || month(month_date) || '月' as month_label_zh,
    -- 序时进度: the share of the year elapsed at the end of the month
    month(month_date) / 12.0 * 100 as time_schedule_pct
from months
