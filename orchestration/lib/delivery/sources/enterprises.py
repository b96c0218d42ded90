"""Above-scale enterprises (规上生产性服务业企业月报): the statistics bureau's monthly survey."""

from __future__ import annotations

import pandas as pd

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.expectations import between, expect, in_set, not_below, required
from orchestration.lib.delivery.rules import ERROR, WARNING, Rule
from orchestration.lib.delivery.sources.base import SEQ, Column, Source

STARS = ["一星", "二星", "三星", "四星", "五星"]

RULES = (
    Rule("E1", ERROR, "统一社会信用代码无效 / invalid unified social credit code"),
    Rule("E2", ERROR, "单位详细名称必填 / the name is required"),
    Rule("E3", ERROR, "所属板块不在板块代码表中 / unknown board"),
    Rule("E4", ERROR, "所属集聚区不在代码表中 / unknown cluster"),
    Rule(
        "E5",
        ERROR,
        "国民经济行业代码应为4位且属已知门类 / industry code must be a known 4-digit class",
    ),
    Rule("E6", ERROR, "生产性服务业类别不在分类中 / unknown producer-service category"),
    Rule("E7", ERROR, "本月营业收入应在0与1-本月之间 / the month's revenue must be 0..YTD"),
    Rule(
        "E8",
        ERROR,
        "上年同期营收、从业人员不能为负 / last year's revenue or employees negative",
    ),
    Rule("E9", ERROR, "星级应为一星至五星 / the star rating must be 一星..五星"),
    Rule(
        "E10",
        WARNING,
        "单个企业增速超出-80%~+300% / one enterprise's growth is beyond -80%..+300%",
    ),
)


def expectations() -> list:
    """The enterprises rules as GX expectations (the general ones: lib/validation)."""
    boards = reference.names_and_codes("boards", "board_code", "board_name")
    expectations = [
        expect("ExpectColumnValuesToBeValidCreditCode", "E1", "credit_code", column="credit_code"),
        required("E2", "enterprise_name"),
        in_set("E3", "board", boards),
        in_set(
            "E4",
            "zone",
            reference.names_and_codes("zones", "zone_code", "zone_name", "short_name"),
        ),
        expect(
            "ExpectColumnValuesToMatchRegex",
            "E5",
            "industry_code",
            column="industry_code",
            regex=r"^\d{4}$",
        ),
        required("E5", "industry_section", "industry_code"),
        in_set("E6", "pss_code", reference.names_and_codes("pss2019_categories", "pss_code")),
        between("E7", "revenue_month_wan_yuan", 0),
        not_below("E7", "revenue_ytd_wan_yuan", "revenue_month_wan_yuan", "revenue_ytd_wan_yuan"),
        between("E8", "revenue_ytd_prior_year_wan_yuan", 0),
        between("E8", "employees", 0),
        in_set("E9", "star_rating", STARS),
        between("E10", "comparable_growth", -0.8, 3.0),
    ]
    return expectations


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    codes = frame["industry_code"]
    sections = {  # looked up once per code (100,000 rows hold a few hundred)
        code: reference.section_of_division(code[:2])
        for code in codes.unique()
        if isinstance(code, str)
    }
    frame["industry_section"] = pd.Series(
        [sections.get(code) for code in codes], index=frame.index, dtype="str"
    )
    prior = frame["revenue_ytd_prior_year_wan_yuan"]
    frame["comparable_growth"] = (frame["revenue_ytd_wan_yuan"] / prior - 1).where(prior > 0)
    return frame


ENTERPRISES = Source(
    name="enterprises",
    title_zh="规上生产性服务业企业月报",
    title_en="Above-scale producer-service enterprises: monthly survey",
    file_stem="规上生产性服务业企业月报",
    sheet="企业",
    owner="team:tjj",
    key="credit_code",
    cumulative=("revenue_ytd_wan_yuan",),
    first_month=2,  # January is reported inside February's 1-2月
    columns=(
        SEQ,
        Column(
            "credit_code",
            "统一社会信用代码",
            "text",
            description="unified social credit code (18 characters)",
            identifier=True,
        ),
        Column("enterprise_name", "单位详细名称", "text", description="registered name"),
        Column("board", "所属板块", "text", description="board (name or code)"),
        Column("zone", "所属集聚区", "text", blank="null", description="cluster, empty if none"),
        Column(
            "industry_code",
            "国民经济行业代码",
            "code",
            width=4,
            description="GB/T 4754-2017 class (4 digits)",
        ),
        Column(
            "pss_code",
            "生产性服务业类别",
            "code",
            width=2,
            description="producer-service category code (2019)",
        ),
        Column(
            "revenue_month_wan_yuan",
            "本月营业收入",
            "money",
            "千元",
            description="revenue of the month (1-2月 in the February file)",
        ),
        Column(
            "revenue_ytd_wan_yuan",
            "1-本月营业收入",
            "money",
            "千元",
            description="revenue, year to date",
        ),
        Column(
            "revenue_ytd_prior_year_wan_yuan",
            "上年同期1-本月营业收入",
            "money",
            "千元",
            blank="null",  # an enterprise new this year has no base
            description="revenue, same period of last year (comparable base)",
        ),
        Column(
            "operating_profit_ytd_wan_yuan",
            "1-本月营业利润",
            "money",
            "千元",
            description="operating profit, year to date",
        ),
        Column(
            "operating_profit_ytd_prior_year_wan_yuan",
            "上年同期1-本月营业利润",
            "money",
            "千元",
            required=False,  # added in 2025: an older file without it still loads
            blank="null",  # no base: the enterprise is new, or the file has no such column
            description="operating profit, same period of last year (the base of its growth)",
        ),
        Column("employees", "期末从业人员", "int", "人", description="employees at month end"),
        Column(
            "star_rating",
            "星级企业",
            "text",
            blank="null",
            description="city star rating, empty if none",
        ),
    ),
    rules=RULES,
    expectations=expectations,
    derive=derive,
)
