-- The months whose ledger file is in the warehouse: a month of no events has no rows in the
-- three sheets' tables, only its accepted file in the load log. A file a dbt build rejected
-- afterwards (its rows taken out) no longer counts; the file before it, if any, does again.
with

source as (

    select * from {{ source('raw', 'load_log') }}
    where source = 'ledger' and month is not null

),

accepted as (

    select loaded.*
    from source as loaded
    where loaded.outcome in ('loaded', 'unchanged')
        and not exists (
            select 1
            from source as later
            where later.outcome = 'rejected'
                and later.sha256 = loaded.sha256
                and later.finished_at > loaded.finished_at
        )

)

select
    {{ month_start('month') }} as month_date,
    max_by(file_name, finished_at) as source_file,
    max_by(sha256, finished_at) as source_sha256,
    max(finished_at) as accepted_at
from accepted
group by month
