-- Every indicator's value, by period and scope, computed from its terms: the one statement of
-- each formula is its source's int_<source>_indicators_traced model, and the same terms are
-- the value's provenance (fct_indicator_provenance).
{% set sources = ['enterprise', 'project', 'zone', 'survey', 'ledger', 'city'] %}
with

terms as (

    {% for source in sources %}
    select * from {{ ref('int_' ~ source ~ '_indicators_traced') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from ({{ indicator_values('terms') }})
