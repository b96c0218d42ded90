-- What the month's data-quality notes say beyond the load log: the city's figure for a section
-- of the district far from psw's own (rule C6). Named only where psw's figure is released: a
-- held figure is not hinted at.
select
    checks.period,
    'city' as source_name,
    'C6' as rule_id,
    '提示：市统计局分辖市区表中本区' || sections.section_name || '营业收入增速（'
    || printf('%.1f', checks.city_yoy_pct) || '%）与本区企业月报测算（'
    || printf('%.1f', checks.own_yoy_pct) || '%）相差' || printf('%.1f', abs(checks.gap_points))
    || '个百分点，请核实（规则 C6）。' as note_zh
from {{ ref('fct_city_own_figure_check') }} as checks
inner join {{ ref('dim_industry_section') }} as sections using (section_code)
where checks.is_far and checks.own_conf_status = 'F'
