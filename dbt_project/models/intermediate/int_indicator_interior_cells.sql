-- The finest cells each additive confidential figure (a magnitude) adds up from, in each
-- period: the contributions that count in exactly the same scopes, summed (for an enterprise:
-- the district, its board, its section and its category; for a survey answer: the district
-- and its service). Every published figure is a sum of such cells; the audit of disclosure
-- control (fct_indicator_disclosure) takes them as the unknowns an intruder works out.
with

terms as (
    {{ respondent_terms() }}
),

additive as (
    select indicator_code
    from {{ ref('dim_indicator') }}
    where disclosure in ('magnitude', 'signed')
),

-- one cell of a spreadsheet, with every scope it counts in
contributions as (

    select
        terms.indicator_code,
        terms.period,
        any_value(cast(terms.contribution as decimal(38, 6))) as amount,
        {{ sorted_list("terms.scope_type || ':' || terms.scope_code") }} as scopes
    from terms
    inner join additive on terms.indicator_code = additive.indicator_code
    where terms.term = 'sum' and terms.respondent_id is not null
    group by
        terms.indicator_code,
        terms.period,
        terms.respondent_id,
        terms.source_file,
        terms.excel_row,
        terms.cell_column,
        terms.contribution < 0

)

select
    indicator_code,
    period,
    scopes,
    cast(sum(amount) as double) as amount
from contributions
group by indicator_code, period, scopes
