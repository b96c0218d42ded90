-- The months whose ledger file is in the warehouse: a month of no events has no rows in the
-- three sheets' tables, only its accepted file in the load log. A file a dbt build rejected
-- afterwards (its rows taken out) no longer counts.
with

source as (

    select * from {{ source('raw', 'load_log') }}
    where source = 'ledger' and month is not null

),

latest_accepted as (

    select
        cast(month || '-01' as date) as month_date,
        arg_max(file_name, finished_at) as source_file,
        arg_max(sha256, finished_at) as source_sha256,
        max(finished_at) as accepted_at
    from source
    where outcome in ('loaded', 'unchanged')
    group by month

)

select month_date, source_file, source_sha256, accepted_at
from latest_accepted
where not exists (
    select 1
    from source as later
    where later.outcome = 'rejected'
        and later.sha256 = latest_accepted.source_sha256
        and later.finished_at > latest_accepted.accepted_at
)
