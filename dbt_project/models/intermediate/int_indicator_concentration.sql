-- Who makes each confidential figure (the catalogue's `disclosure`): how many respondents
-- contribute to it, and how much the largest does, from the same terms as its value. A
-- magnitude is judged on its sum, a rate on its denominator (the base it is computed from);
-- each respondent's terms are netted first (the month's revenue is two cells of one enterprise).
with

terms as (
    {{ respondent_terms() }}
),

confidential as (
    select
        indicator_code,
        disclosure
    from {{ ref('dim_indicator') }}
    where disclosure is not null
),

by_respondent as (

    select
        terms.indicator_code,
        terms.period,
        terms.scope_type,
        terms.scope_code,
        terms.respondent_id,
        sum(cast(terms.contribution as decimal(38, 6))) as net_contribution
    from terms
    inner join confidential on terms.indicator_code = confidential.indicator_code
    where
        terms.respondent_id is not null
        and (
            (confidential.disclosure = 'rate' and terms.term = 'denominator')
            or (confidential.disclosure != 'rate' and terms.term = 'sum')
        )
    group by
        terms.indicator_code,
        terms.period,
        terms.scope_type,
        terms.scope_code,
        terms.respondent_id

)

select
    indicator_code,
    period,
    scope_type,
    scope_code,
    count(*) filter (where net_contribution != 0) as contributors,
    cast(sum(abs(net_contribution)) as double) as total_abs,
    cast(max(abs(net_contribution)) as double) as largest_abs
from by_respondent
group by indicator_code, period, scope_type, scope_code
