{#- Each indicator is declared once, as its terms: the rows, and the cells of them, that make
  its value (an int_<source>_indicators_traced model). `indicator_values` computes every value
  from those terms, and fct_indicator_provenance lists them: the value and its provenance are
  one statement of the formula.

  `scoped_rows(relation, period_column, scopes)`: every row of a fact once for the district and
  once for each scope it counts in, as the indicator models group them (scopes: a list of
  (scope_type, column)).

  `contributions(rows, raw_table, terms, respondent)`: one row per term a row contributes, with
  the respondent it comes from (`respondent`, a column of `rows`: the credit code of an
  enterprise or a survey's respondent, whose figures disclosure control protects). A term is
  (indicator_code, term, sign, figure, cell, where):
    term    'sum' (the value is the sum of its contributions), 'numerator' or 'denominator' (the
            value is Σ numerator ÷ Σ denominator × 100, plus any 'offset');
    figure  the raw column summed (in the warehouse's unit), or none for a count (each row 1);
    cell    a SQL expression naming the raw column whose cell the row cites;
    where   the rows that count, or none.
  sign is a SQL expression: 1, -1, or a scale read from the row (`100.0 / district_base`: a
  share of the district's figure). The contribution is sign × figure (or sign × 1), in the
  indicator's unit.

  `no_cell(raw_table)`: the columns of a contribution that no cell holds (序时进度, a rank's
  shares), from raw_value to respondent_id.

  `frame(scopes, indicators, raw_table)`: a 'frame' row (contributing 0) for each of the
  indicators in each period and scope of `scopes`: where a count is reported though no row
  counts (no star enterprise on a board, no training in a month), its value is 0, not absent.

  `indicator_values(terms)`: one value per indicator, period and scope from its terms: a
  'sum' (and 'frame') is the sum of its contributions; a ratio is Σ numerator ÷ Σ denominator
  × 100 plus any 'offset'; a rank is the scope's place among the values it was ranked on
  ('ranked_on' highest first, then 'tie_break'; what is still tied shares a place); a ratio whose
  denominator is not above zero (no base, or a loss last year) has no value. Money and counts are
  summed as decimals of ten places, so the value is the same on every run (`exact_total`).
  A value that comes out empty (nothing to sum, a zero denominator) is left out. -#}
{% macro scoped_rows(relation, period_column, scopes) -%}
    select *, {{ period_column }} as period, 'district' as scope_type,
        '{{ var("district_code") }}' as scope_code
    from {{ relation }}
    {%- for scope_type, column in scopes %}
    union all
    select *, {{ period_column }}, '{{ scope_type }}', {{ column }}
    from {{ relation }}
    where {{ column }} is not null
    {%- endfor %}
{%- endmacro %}

{% macro contributions(rows, raw_table, terms, respondent=none) -%}
    {%- for indicator, term, sign, figure, cell, where in terms %}
    select
        '{{ indicator }}' as indicator_code,
        period,
        scope_type,
        scope_code,
        '{{ term }}' as term,
        {{ sign }} * {{ 'cast(' ~ figure ~ ' as double)' if figure else '1.0' }} as contribution,
        {{ 'cast(' ~ figure ~ ' as double)' if figure else 'cast(null as double)' }} as raw_value,
        '{{ raw_table }}' as raw_table,
        {{ cell }} as cell_column,
        source_file,
        excel_row,
        load_id,
        {{ respondent or 'cast(null as string)' }} as respondent_id,
        cast(null as string) as ranked_scope_code
    from {{ rows }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The terms of the sources whose rows are respondents' (the enterprises' survey and the
    demand survey): what disclosure control counts. -#}
{% macro respondent_terms() -%}
    select * from {{ ref('int_enterprise_indicators_traced') }}
    union all
    select * from {{ ref('int_survey_indicators_traced') }}
{%- endmacro %}

{% macro no_cell(raw_table) -%}
        cast(null as double) as raw_value,
        '{{ raw_table }}' as raw_table,
        cast(null as string) as cell_column,
        cast(null as string) as source_file,
        cast(null as bigint) as excel_row,
        cast(null as string) as load_id,
        cast(null as string) as respondent_id,
{%- endmacro %}

{% macro frame(scopes, indicators, raw_table) -%}
    {%- for indicator in indicators %}
    select distinct
        '{{ indicator }}' as indicator_code,
        period,
        scope_type,
        scope_code,
        'frame' as term,
        cast(0 as double) as contribution,
        {{ no_cell(raw_table) }}
        cast(null as string) as ranked_scope_code
    from {{ scopes }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- DuckDB sums doubles in parallel, in no fixed order, so their last bits vary; ten decimals
    sum exactly as decimals (a 拉动 is a small number of 百分点 from hundreds of cells). -#}
{% macro exact_total(term_filter) -%}
    cast(sum(cast(contribution as decimal(38, 10))) filter (where {{ term_filter }}) as double)
{%- endmacro %}

{% macro indicator_values(terms) -%}
    with

    totals as (

        select
            indicator_code,
            period,
            scope_type,
            scope_code,
            {{ exact_total("term in ('sum', 'frame')") }} as summed,
            {{ exact_total("term = 'numerator'") }} as numerator,
            {{ exact_total("term = 'denominator'") }} as denominator,
            -- 序时进度 is a share of the year, not money: summed as it is
            sum(contribution) filter (where term = 'offset') as offset_total,
            bool_or(term in ('numerator', 'denominator')) as is_ratio,
            bool_or(term = 'ranked_on') as is_rank
        from {{ terms }}
        group by indicator_code, period, scope_type, scope_code

    ),

    ranked as (

        select
            indicator_code,
            period,
            scope_type,
            scope_code,
            ranked_scope_code,
            any_value(contribution) filter (where term = 'ranked_on') as ranked_on,
            any_value(contribution) filter (where term = 'tie_break') as tie_break
        from {{ terms }}
        where term in ('ranked_on', 'tie_break')
        group by indicator_code, period, scope_type, scope_code, ranked_scope_code

    ),

    places as (

        select
            indicator_code,
            period,
            scope_type,
            scope_code,
            ranked_scope_code,
            rank() over (
                partition by indicator_code, period, scope_type, scope_code
                order by ranked_on desc, coalesce(tie_break, 0) desc
            ) as place
        from ranked

    ),

    valued as (

        select
            totals.indicator_code,
            totals.period,
            totals.scope_type,
            totals.scope_code,
            case
                when totals.is_rank then cast(places.place as double)
                -- a ratio of a base that is not positive (a loss last year) says nothing
                when totals.is_ratio then case when totals.denominator > 0
                    then coalesce(totals.numerator, 0) / totals.denominator * 100
                    + coalesce(totals.offset_total, 0) end
                else totals.summed
            end as value
        from totals
        left join places
            on totals.indicator_code = places.indicator_code
            and totals.period = places.period
            and totals.scope_type = places.scope_type
            and totals.scope_code = places.scope_code
            and totals.scope_code = places.ranked_scope_code

    )

    select indicator_code, period, scope_type, scope_code, value
    from valued
    where value is not null
{%- endmacro %}
