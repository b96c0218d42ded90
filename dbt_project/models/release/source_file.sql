-- The files each month's figures were read from, and those rejected or set aside: the load
-- log without its messages (a rejection's message may quote a respondent's cell).
select
    source,
    month,
    file_name,
    sha256,
    outcome,
    failed_rules,
    finished_at as loaded_at
from {{ source('raw', 'load_log') }}
