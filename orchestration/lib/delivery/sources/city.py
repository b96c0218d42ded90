"""The city bureau's table of Changzhou's areas (常州市各辖市（区）规模以上服务业主要指标): every
area's above-scale services, in all and by GB/T 4754 section, from which the district is ranked
in the city and its producer services set against all its above-scale services."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.expectations import between, expect, in_set, not_below
from orchestration.lib.delivery.rules import ERROR, WARNING, Rule
from orchestration.lib.delivery.sources.base import Column, Source

CITY_CODE = "320400"  # the table's 全市 row: the city's total, in the place of 合计
# the sections the city publishes: these five always, the others where it does (the list is
# the dbt var `city_sections` too, which the staging model unpivots)
REQUIRED_SECTIONS = ("G", "I", "L", "M", "N")
SECTIONS = ("G", "I", "K", "L", "M", "N", "O", "P", "Q", "R")
TOTAL_TOLERANCE = 0.005  # the city rounds each area: 全市 is their sum within 0.5 %
OWN_FIGURE_GAP = 5.0  # 百分点 between the city's growth of a district section and psw's

RULES = (
    Rule("C1", ERROR, "地区不在常州市辖市（区）代码表中 / unknown area of Changzhou"),
    Rule("C2", ERROR, "缺少全市行 / the 全市 row (the city's total) is missing"),
    Rule(
        "C3",
        ERROR,
        "全市与各辖市（区）之和相差超过0.5% / the 全市 row is not the sum of the areas "
        "within 0.5 %",
    ),
    Rule(
        "C4",
        ERROR,
        "营业收入不能为负，门类不能超过该地区规模以上服务业 / revenue is negative, or a "
        "section is above the area's whole",
    ),
    Rule("C5", ERROR, "同比增长应在-100%与1000%之间 / growth outside −100 % .. 1,000 %"),
    Rule(
        "C6",
        WARNING,
        "本区门类增速与企业月报测算相差超过5个百分点（建库后核对，列入数据质量说明） / the "
        "district's section growth is more than 5 points from psw's own (checked after the "
        "build, in the data-quality notes)",
    ),
)


def section_names() -> dict[str, str]:
    return {row["section_code"]: row["section_name"] for row in reference.table("gbt4754_sections")}


def revenue_columns() -> list[str]:
    return ["svc_revenue_ytd_wan_yuan"] + [f"{s.lower()}_revenue_ytd_wan_yuan" for s in SECTIONS]


def expectations() -> list:
    """The city's rules as GX expectations (the general ones: lib/validation)."""
    areas = reference.names_and_codes("city_areas", "area_code", "area_name", "short_name")
    found = [
        in_set("C1", "area", areas),
        expect(
            "ExpectColumnDistinctValuesToContainSet",
            "C2",
            "area",
            column="area_code",
            value_set=[CITY_CODE],
        ),
    ]
    for column in revenue_columns():
        found += [
            expect(  # on the 全市 row, pointing at the column that does not add up
                "ExpectColumnValuesToBeBetween",
                "C3",
                column,
                column=f"{column}__gap",
                min_value=-TOTAL_TOLERANCE,
                max_value=TOTAL_TOLERANCE,
            ),
            between("C4", column, 0),
        ]
    for s in SECTIONS:
        section = f"{s.lower()}_revenue_ytd_wan_yuan"
        found.append(not_below("C4", "svc_revenue_ytd_wan_yuan", section, section))
    for column in ["svc_revenue_yoy_pct"] + [f"{s.lower()}_revenue_yoy_pct" for s in SECTIONS]:
        found.append(between("C5", column, -100, 1000))
    return found


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """The area's code, and on the 全市 row how far it is from the sum of the areas, column by
    column (a share of 全市; the rows of the areas have none)."""
    areas = reference.rows_by("city_areas", "area_code", "area_name", "short_name")
    frame["area_code"] = frame["area"].map(
        lambda a: areas[a]["area_code"] if isinstance(a, str) and a in areas else None
    )
    total = frame["area_code"] == CITY_CODE
    for column in revenue_columns():
        values = frame[column].astype(float)
        city, parts = values[total].sum(), values[~total].sum(min_count=1)
        gap = np.nan
        if total.any() and not np.isnan(parts) and not np.isnan(values[total]).all():
            gap = (city - parts) / city if city else (0.0 if parts == 0 else np.inf)
        frame[f"{column}__gap"] = np.where(total, gap, np.nan)
    return frame


def _columns() -> tuple[Column, ...]:
    names = section_names()
    columns = [
        Column(
            "area",
            "地区",
            "text",
            description="area of Changzhou (name, short name or code); 全市 is the city's total",
        ),
        Column(
            "svc_revenue_ytd_wan_yuan",
            "规模以上服务业1-本月营业收入",
            "money",
            "亿元",
            description="all above-scale services: revenue, year to date",
        ),
        Column(
            "svc_revenue_yoy_pct",
            "规模以上服务业同比增长",
            "number",
            "%",
            blank="error",
            description="all above-scale services: revenue growth",
        ),
    ]
    for s in SECTIONS:
        required = s in REQUIRED_SECTIONS
        columns += [
            Column(
                f"{s.lower()}_revenue_ytd_wan_yuan",
                f"{names[s]}1-本月营业收入",
                "money",
                "亿元",
                required=required,
                blank="null",  # the city does not publish an area's section of few enterprises
                description=f"section {s}: revenue, year to date",
            ),
            Column(
                f"{s.lower()}_revenue_yoy_pct",
                f"{names[s]}同比增长",
                "number",
                "%",
                required=required,
                blank="null",
                description=f"section {s}: revenue growth",
            ),
        ]
    return tuple(columns)


CITY = Source(
    name="city",
    title_zh="常州市各辖市（区）规模以上服务业主要指标",
    title_en="Changzhou's areas: above-scale services (the city bureau's table)",
    file_stem="常州市各辖市区规上服务业主要指标",
    sheet="分辖市区",
    owner="team:tjj",
    key="area_code",  # from the name, through reference/city_areas.csv
    key_written_as="area",
    cumulative=("svc_revenue_ytd_wan_yuan",),
    first_month=2,  # like the enterprises' survey: 1-2月 in February
    columns=_columns(),
    rules=RULES,
    expectations=expectations,
    derive=derive,
)
