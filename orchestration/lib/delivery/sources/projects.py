"""Key projects (重点项目月报): the 区发改局's monthly progress of each key project."""

from __future__ import annotations

import pandas as pd

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.expectations import between, in_set, not_below, required
from orchestration.lib.delivery.rules import ERROR, Rule
from orchestration.lib.delivery.sources.base import SEQ, Column, Source

RULES = (
    Rule("P1", ERROR, "项目编号、项目名称必填 / project id and name are required"),
    Rule("P2", ERROR, "所属板块不在板块代码表中 / unknown board"),
    Rule("P3", ERROR, "项目级别不在代码表中 / unknown project level"),
    Rule("P4", ERROR, "服务领域不在分类中 / unknown producer-service category"),
    Rule("P5", ERROR, "面积不能为负 / an area is negative"),
    Rule("P6", ERROR, "总投资必须大于0 / total investment must be positive"),
    Rule("P7", ERROR, "年度计划投资应在0与总投资之间 / the year's plan must be 0..total"),
    Rule("P8", ERROR, "本月完成投资应在0与1-本月累计之间 / the month's investment must be 0..YTD"),
    Rule("P9", ERROR, "1-本月累计完成投资不能为负 / YTD investment is negative"),
    Rule(
        "P10",
        ERROR,
        "开工以来累计应不小于1-本月累计且不超过总投资×1.05 / "
        "invested since start must be ≥ YTD and ≤ total × 1.05",
    ),
    Rule("P11", ERROR, "计划竣工年月早于计划开工年月 / planned completion before planned start"),
    Rule("P12", ERROR, "建设状态不在代码表中 / unknown construction status"),
)


def expectations() -> list:
    """The projects rules as GX expectations (the general ones: lib/validation)."""
    boards = reference.names_and_codes("boards", "board_code", "board_name")
    expectations = [
        required("P1", "project_id"),
        required("P1", "project_name"),
        in_set("P2", "board", boards),
        in_set(
            "P3",
            "project_level",
            reference.names_and_codes("project_levels", "level_code", "level_name"),
        ),
        in_set(
            "P4",
            "pss_category",
            reference.names_and_codes("pss2019_categories", "pss_code", "pss_name"),
        ),
        between("P5", "land_area_mu", 0),
        between("P5", "floor_area_sqm", 0),
        between("P6", "total_investment_wan_yuan", 0, strict_low=True),
        between("P7", "plan_year_wan_yuan", 0),
        not_below("P7", "total_investment_wan_yuan", "plan_year_wan_yuan", "plan_year_wan_yuan"),
        between("P8", "invested_month_wan_yuan", 0),
        not_below(
            "P8", "invested_ytd_wan_yuan", "invested_month_wan_yuan", "invested_month_wan_yuan"
        ),
        between("P9", "invested_ytd_wan_yuan", 0),
        not_below("P10", "invested_since_start_wan_yuan", "invested_ytd_wan_yuan"),
        not_below(
            "P10",
            "investment_ceiling_wan_yuan",
            "invested_since_start_wan_yuan",
            "invested_since_start_wan_yuan",
        ),
        not_below("P11", "planned_finish_month", "planned_start_month"),
        in_set(
            "P12",
            "construction_status",
            reference.names_and_codes("construction_statuses", "status_code", "status_name"),
        ),
    ]
    return expectations


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    frame["investment_ceiling_wan_yuan"] = frame["total_investment_wan_yuan"] * 1.05
    return frame


PROJECTS = Source(
    name="projects",
    title_zh="重点项目月报",
    title_en="Key producer-service projects: monthly progress",
    file_stem="重点项目月报",
    sheet="重点项目",
    owner="team:fgj-projects",
    key="project_id",
    cumulative=("invested_ytd_wan_yuan",),
    columns=(
        SEQ,
        Column(
            "project_id",
            "项目编号",
            "text",
            identifier=True,
            description="project id, stable across months",
        ),
        Column("project_name", "项目名称", "text", description="project name"),
        Column("board", "所属板块", "text", description="board (name or code)"),
        Column(
            "project_level",
            "项目级别",
            "text",
            description=(
                "the project's level: 省重点 (provincial), 市重点 (city) or 区重点 (district)"
            ),
        ),
        Column(
            "pss_category",
            "服务领域",
            "code",
            width=2,
            description="producer-service category (code or name)",
        ),
        Column(
            "construction_content", "建设内容", "text", required=False, description="what is built"
        ),
        Column("land_area_mu", "用地面积", "number", "亩", description="land area in mu"),
        Column(
            "floor_area_sqm",
            "总建筑面积",
            "number",
            "平方米",
            description="total floor area in square metres",
        ),
        Column(
            "total_investment_wan_yuan",
            "总投资",
            "money",
            "万元",
            description="total planned investment",
        ),
        Column(
            "plan_year_wan_yuan",
            "年度计划投资",
            "money",
            "万元",
            description="this year's planned investment",
        ),
        Column(
            "invested_month_wan_yuan",
            "本月完成投资",
            "money",
            "万元",
            description="invested in the month",
        ),
        Column(
            "invested_ytd_wan_yuan",
            "1-本月累计完成投资",
            "money",
            "万元",
            description="invested this year to date",
        ),
        Column(
            "invested_since_start_wan_yuan",
            "开工以来累计完成投资",
            "money",
            "万元",
            description="invested since construction started",
        ),
        Column("planned_start_month", "计划开工年月", "month", description="planned start YYYY-MM"),
        Column(
            "planned_finish_month",
            "计划竣工年月",
            "month",
            description="planned completion YYYY-MM",
        ),
        Column(
            "construction_status",
            "建设状态",
            "text",
            description=(
                "construction status: 未开工 (not started), 在建 (under construction), "
                "部分投用 (partly in use) or 竣工投用 (completed)"
            ),
        ),
        Column(
            "progress_note",
            "形象进度",
            "text",
            required=False,
            description="physical progress, free text",
        ),
        Column(
            "responsible_unit",
            "责任单位",
            "text",
            required=False,
            description="responsible unit (contact; kept in raw only)",
        ),
        Column(
            "contact_person",
            "联系人",
            "text",
            required=False,
            description="contact person (personal data; raw only)",
        ),
        Column(
            "contact_phone",
            "联系电话",
            "text",
            required=False,
            description="contact phone (personal data; raw only)",
        ),
    ),
    rules=RULES,
    expectations=expectations,
    derive=derive,
)
