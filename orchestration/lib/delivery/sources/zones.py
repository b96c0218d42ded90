"""Clusters (集聚区月报): each producer-service cluster's monthly figures."""

from __future__ import annotations

import pandas as pd

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.expectations import between, expect, not_below, required
from orchestration.lib.delivery.rules import ERROR, Rule
from orchestration.lib.delivery.sources.base import SEQ, Column, Source

RULES = (
    Rule("Z1", ERROR, "集聚区不在代码表中 / unknown cluster"),
    Rule("Z2", ERROR, "级别与代码表不符 / level disagrees with the reference"),
    Rule("Z3", ERROR, "所属板块与代码表不符 / board disagrees with the reference"),
    Rule("Z4", ERROR, "投资、营收、税收不能为负 / investment, revenue or tax is negative"),
    Rule(
        "Z5",
        ERROR,
        "企业数、人数不能为负，规上企业数不能超过入区企业数 / "
        "counts must be ≥ 0 and above-scale ≤ enterprises",
    ),
)


def expectations() -> list:
    """The zones rules as GX expectations (the general ones: lib/validation)."""
    expectations = [
        required("Z1", "zone_code", "zone_name"),
        expect(
            "ExpectColumnPairValuesToBeEqual",
            "Z2",
            "zone_level",
            column_A="zone_level",
            column_B="reference_zone_level",
            ignore_row_if="either_value_is_missing",
        ),
        expect(
            "ExpectColumnPairValuesToBeEqual",
            "Z3",
            "board",
            column_A="board_code",
            column_B="reference_board_code",
            ignore_row_if="either_value_is_missing",
        ),
        between("Z4", "invested_ytd_wan_yuan", 0),
        between("Z4", "revenue_ytd_wan_yuan", 0),
        between("Z4", "tax_ytd_wan_yuan", 0),
        between("Z5", "enterprise_count", 0),
        between("Z5", "employees", 0),
        not_below("Z5", "enterprise_count", "above_scale_count", "above_scale_count"),
    ]
    return expectations


def _zone_codes(names: pd.Series) -> pd.Series:
    zones = reference.rows_by("zones", "zone_code", "zone_name", "short_name")
    return names.map(lambda n: zones[n]["zone_code"] if n in zones else None)


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """The cluster's code from its name, and what the reference list says of it."""
    zones = reference.rows_by("zones", "zone_code")
    boards = reference.rows_by("boards", "board_code", "board_name")
    frame["zone_code"] = _zone_codes(frame["zone_name"])
    frame["reference_zone_level"] = frame["zone_code"].map(
        lambda c: zones[c]["zone_level"] if isinstance(c, str) else None
    )
    frame["reference_board_code"] = frame["zone_code"].map(
        lambda c: zones[c]["board_code"] if isinstance(c, str) else None
    )
    frame["board_code"] = frame["board"].map(
        lambda b: boards[b]["board_code"] if b in boards else b
    )
    return frame


ZONES = Source(
    name="zones",
    title_zh="集聚区月报",
    title_en="Producer-service clusters: monthly figures",
    file_stem="集聚区月报",
    sheet="集聚区",
    owner="team:fgj-zones",
    key="zone_code",  # from the name, through the reference list
    key_written_as="zone_name",
    cumulative=("invested_ytd_wan_yuan", "revenue_ytd_wan_yuan"),
    columns=(
        SEQ,
        Column("zone_name", "集聚区名称", "text", description="cluster name (full or short)"),
        Column(
            "zone_level",
            "级别",
            "text",
            description="the cluster's level: 省级 (provincial) or 培育 (being developed)",
        ),
        Column("board", "所属板块", "text", description="board (name or code)"),
        Column(
            "invested_ytd_wan_yuan",
            "1-本月完成投资",
            "money",
            "亿元",
            description="investment, year to date",
        ),
        Column(
            "revenue_ytd_wan_yuan",
            "1-本月营业收入",
            "money",
            "亿元",
            description="revenue, year to date",
        ),
        Column(
            "profit_ytd_wan_yuan",
            "1-本月利润总额",
            "money",
            "亿元",
            description="total profit, year to date (may be negative)",
        ),
        Column(
            "tax_ytd_wan_yuan",
            "1-本月税收收入",
            "money",
            "亿元",
            description="tax revenue, year to date",
        ),
        Column(
            "enterprise_count", "入区企业数", "int", "家", description="enterprises in the cluster"
        ),
        Column(
            "above_scale_count", "其中:规上企业数", "int", "家", description="of which above-scale"
        ),
        Column("employees", "从业人员", "int", "人", description="employees"),
    ),
    rules=RULES,
    expectations=expectations,
    derive=derive,
)
