-- Where every indicator value comes from: one row per contribution, with the spreadsheet
-- cell it was read from (file!sheet!J12). A view, so that it costs a load nothing: `cli
-- explain` asks it for one value at a time.
{% set sources = ['enterprise', 'project', 'zone', 'survey', 'ledger', 'city'] %}
with

contributions as (
    {% for source in sources %}
    select * from {{ ref('int_' ~ source ~ '_indicators_traced') }}
    -- a frame row only says the value is reported (0 where nothing counts); it cites nothing
    where term != 'frame'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

indicator_values as (select * from {{ ref('fct_indicator_value') }}),

load_columns as (select * from {{ source('raw', 'load_columns') }})

select
    contributions.indicator_code,
    contributions.period,
    contributions.scope_type,
    contributions.scope_code,
    indicator_values.value,
    indicator_values.unit,
    contributions.term,
    contributions.contribution,
    contributions.source_file,
    load_columns.sheet,
    contributions.excel_row,
    load_columns.excel_column || contributions.excel_row as cell,
    contributions.source_file || '!' || load_columns.sheet || '!'
    || load_columns.excel_column || contributions.excel_row as cell_address,
    load_columns.header,
    contributions.raw_value,
    load_columns.unit as file_unit,
    load_columns.to_raw_factor,
    contributions.raw_table,
    contributions.load_id,
    contributions.ranked_scope_code
from contributions
inner join indicator_values using (indicator_code, period, scope_type, scope_code)
left join load_columns
    on contributions.load_id = load_columns.load_id
    and contributions.raw_table = load_columns.raw_table
    and contributions.cell_column = load_columns.column_name
