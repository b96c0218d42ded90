"""Manufacturers' demand for producer services (需求调查): a wave each half year."""

from __future__ import annotations

import pandas as pd

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.expectations import between, expect, in_set, required
from orchestration.lib.delivery.rules import ERROR, WARNING, Rule
from orchestration.lib.delivery.sources.base import SEQ, Column, Source, survey_services

DEMAND_LEVELS = ["无", "一般", "较强", "强烈"]

RULES = (
    Rule("S1", ERROR, "统一社会信用代码无效 / invalid unified social credit code"),
    Rule("S2", ERROR, "企业名称必填 / the name is required"),
    Rule("S3", ERROR, "所属板块不在板块代码表中 / unknown board"),
    Rule(
        "S4",
        ERROR,
        "行业代码应为制造业（13-43大类） / industry must be manufacturing (divisions 13-43)",
    ),
    Rule(
        "S5",
        WARNING,
        "上年营业收入低于2000万元（规上标准） / last year's revenue below the "
        "2000万 above-scale threshold",
    ),
    Rule("S6", ERROR, "从业人员不能为负 / employees negative"),
    Rule("S7", ERROR, "需求程度应为无/一般/较强/强烈 / demand level must be 无/一般/较强/强烈"),
    Rule("S8", ERROR, "年采购额不能为负 / yearly purchases negative"),
)


def expectations() -> list:
    """The demand_survey rules as GX expectations (the general ones: lib/validation)."""
    boards = reference.names_and_codes("boards", "board_code", "board_name")
    expectations = [
        expect("ExpectColumnValuesToBeValidCreditCode", "S1", "credit_code", column="credit_code"),
        required("S2", "enterprise_name"),
        in_set("S3", "board", boards),
        expect(
            "ExpectColumnValuesToBeBetween",
            "S4",
            "industry_code",
            column="industry_division",
            min_value=13,
            max_value=43,
        ),
        required("S4", "industry_division", "industry_code"),
        between("S5", "revenue_prior_year_wan_yuan", 2000),
        between("S6", "employees", 0),
    ]
    for service in survey_services():
        expectations += [
            in_set("S7", f"{service.code}:demand_level", DEMAND_LEVELS),
            between("S8", f"{service.code}:spend_wan_yuan", 0),
        ]
    return expectations


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    frame["industry_division"] = pd.to_numeric(frame["industry_code"].str[:2], errors="coerce")
    return frame


DEMAND_SURVEY = Source(
    name="demand_survey",
    title_zh="制造业企业生产性服务需求调查",
    title_en="Manufacturers' demand for producer services: half-yearly survey",
    file_stem="制造业企业生产性服务需求调查",
    sheet="需求调查",
    owner="team:fgj-survey",
    key="credit_code",  # one row per enterprise as delivered (one per service once melted)
    every=6,  # a wave each half year: reference months 06 and 12
    columns=(
        SEQ,
        Column(
            "credit_code",
            "统一社会信用代码",
            "text",
            description="unified social credit code (18 characters)",
            identifier=True,
        ),
        Column("enterprise_name", "企业名称", "text", description="manufacturer's name"),
        Column("board", "所属板块", "text", description="board (name or code)"),
        Column(
            "industry_code",
            "国民经济行业代码",
            "code",
            width=4,
            description="GB/T 4754-2017 manufacturing class",
        ),
        Column(
            "revenue_prior_year_wan_yuan",
            "上年营业收入",
            "money",
            "万元",
            description="last year's revenue",
        ),
        Column("employees", "从业人员", "int", "人", description="employees"),
        Column(
            "most_urgent_need",
            "最迫切的需求",
            "text",
            required=False,
            description="most urgent need, free text",
        ),
    ),
    service_columns=(
        Column("service_code", "服务", "code", description="survey service code (S01..)"),
        Column("service_name", "服务名称", "text", description="survey service name"),
        Column(
            "demand_level",
            "需求程度",
            "text",
            description=(
                "demand for the service: 无 (none), 一般 (some), 较强 (strong) "
                "or 强烈 (very strong)"
            ),
        ),
        Column(
            "spend_wan_yuan",
            "年采购额",
            "money",
            "万元",
            description="yearly purchases of the service",
        ),
    ),
    rules=RULES,
    expectations=expectations,
    derive=derive,
)
