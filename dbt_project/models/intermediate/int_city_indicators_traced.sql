-- The district in the city, declared once as its terms (see int_enterprise_indicators_traced):
-- read from the city bureau's table (fct_city_area_monthly), the district being the area whose
-- code is the district's. All above-scale services are the district scope; a section, the
-- industry_section scope. Ranks are among the areas other than the city itself, 1 = the
-- fastest growth, ties sharing a place. The two figures set against psw's own producer
-- services take ENT_REV_YTD's and ENT_REV_YOY's terms, in the months both sources have.
with

areas as (

    select
        *,
        month_date as period,
        if(industry_scope = 'ALL', 'district', 'industry_section') as scope_type,
        if(industry_scope = 'ALL', '{{ var("district_code") }}', industry_scope) as scope_code
    from {{ ref('fct_city_area_monthly') }}

),

-- the scopes whose growth the city publishes for the district: only they are compared
district_published as (
    select
        period,
        scope_type,
        scope_code
    from areas
    where is_district and revenue_yoy_pct is not null
),

compared as (
    select areas.*
    from areas
    inner join district_published using (period, scope_type, scope_code)
),

district_services as (
    select *
    from areas
    where is_district and scope_type = 'district'
),

-- psw's own producer services, in the months the city's table has the district's row
own as (
    select terms.*
    from {{ ref('int_enterprise_indicators_traced') }} as terms
    inner join district_services using (period)
    where terms.scope_type = 'district'
),

own_months as (select distinct period from own)

{{ contributions('compared', 'city', [
    ('CITY_SVC_REV_YOY', 'sum', 1, 'revenue_yoy_pct', 'yoy_column', "is_district and scope_type = 'district'"),
    ('CITY_SVC_REV_YOY_GAP', 'sum', 1, 'revenue_yoy_pct', 'yoy_column', 'is_district'),
    ('CITY_SVC_REV_YOY_GAP', 'sum', -1, 'revenue_yoy_pct', 'yoy_column', 'is_city_total'),
]) }}
union all
-- every area's growth, ranked; the district's own entry is named by the scope it is ranked in
select
    'CITY_SVC_REV_YOY_RANK' as indicator_code,
    period,
    scope_type,
    scope_code,
    'ranked_on' as term,
    revenue_yoy_pct as contribution,
    revenue_yoy_pct as raw_value,
    'city' as raw_table,
    yoy_column as cell_column,
    source_file,
    excel_row,
    load_id,
    cast(null as string) as respondent_id,
    if(is_district, scope_code, area_code) as ranked_scope_code
from compared
where not is_city_total and revenue_yoy_pct is not null
union all
select
    'PSS_SHARE_OF_SVC' as indicator_code,
    period,
    scope_type,
    scope_code,
    'numerator' as term,
    contribution,
    raw_value,
    raw_table,
    cell_column,
    source_file,
    excel_row,
    load_id,
    respondent_id,
    ranked_scope_code
from own
where indicator_code = 'ENT_REV_YTD'
union all
select
    'PSS_VS_SVC_YOY_GAP' as indicator_code,
    period,
    scope_type,
    scope_code,
    term,
    contribution,
    raw_value,
    raw_table,
    cell_column,
    source_file,
    excel_row,
    load_id,
    respondent_id,
    ranked_scope_code
from own
where indicator_code = 'ENT_REV_YOY'
union all
{{ contributions('(select * from district_services where period in (select period from own_months))', 'city', [
    ('PSS_SHARE_OF_SVC', 'denominator', 1, 'revenue_ytd_wan_yuan', 'revenue_column', none),
    ('PSS_VS_SVC_YOY_GAP', 'offset', -1, 'revenue_yoy_pct', 'yoy_column', none),
]) }}
