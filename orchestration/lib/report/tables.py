"""The standard tables of the monthly statistical tables (统计月报): how each is laid out.

Each table is one dbt model of `release.rpt_*` (the numbers, for every month, as released) and
one `TableSpec` here (the title, unit line, headers and footnotes); the workbook and the
analysis page both lay out the same `Table`s, so they cannot disagree. A figure disclosure
control holds is shown as HELD, never as 0 or an empty cell, with held_note() below the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestration.lib import settings

# Columns a table shows: (header, the model's column, kind). Kinds: text; int; dec1/dec2
# (fixed decimals); value (the row's own display_decimals); target (the row's
# target_decimals: a target and its gap, shown as precisely as the gap is computed); flag
# (是/否 or a mark).
TEXT, INT, DEC1, DEC2, VALUE, TARGET, FLAG = (
    "text",
    "int",
    "dec1",
    "dec2",
    "value",
    "target",
    "flag",
)

ROUNDING_NOTE = "部分数据因四舍五入的原因，存在总计与分项合计不等的情况。"
# the mark of a held figure, as the bureaus write it
HELD = "…"


def held_note() -> str:
    """The footnote of a table with a held figure, with disclosure control's thresholds."""
    rules = settings.disclosure_rules()
    return (
        f"“…”表示该数据涉及企业过少（少于{rules.min_contributors}家，或一家企业占比超过"
        f"{rules.dominance_share:.0%}），依照《统计法》不予公布；"
        "为防止由其他数据推算，相关的个别数据同时不予公布。"
    )


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    summed: bool = False  # the 合计 row holds the sum of the rows (up to rounding)
    width: int = 12
    marks: tuple[str, str] = ("是", "否")  # how a flag's true and false are written


@dataclass(frozen=True)
class TableSpec:
    key: str
    sheet: str
    title: str  # {period} is replaced by the period label
    unit_line: str
    model: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...]
    filter_column: str | None = None  # e.g. table_scope_type
    filter_value: str | None = None
    # the period the title names: "ytd" (2025年1-6月), "month" (2025年6月) or "wave" (the
    # survey's latest wave up to the month: 2025年上半年)
    period: str = "ytd"


@dataclass
class Table:
    spec: TableSpec
    period_label: str
    rows: list[dict] = field(default_factory=list)
    total: dict | None = None
    subtotals: list[dict] = field(default_factory=list)  # the 其中 rows under 合计

    @property
    def title(self) -> str:
        return self.spec.title.format(period=self.period_label)

    @property
    def summary_rows(self) -> list[dict]:
        """The rows shown above the others, in bold: 合计 (without its line number), then
        its 其中 rows."""
        total = [{**self.total, "line_number": None}] if self.total else []
        return total + self.subtotals

    @property
    def shown_rows(self) -> list[dict]:
        """Every row as the table shows it, summary rows first."""
        return self.summary_rows + self.rows

    @property
    def has_held(self) -> bool:
        return any(row.get("held_fields") for row in self.shown_rows)

    @property
    def notes(self) -> tuple[str, ...]:
        """The table's footnotes, and what the mark of a held figure means where it has one."""
        return (*self.spec.notes, held_note()) if self.has_held else self.spec.notes


SOURCE_ENTERPRISES = "资料来源：区统计局规上生产性服务业企业月报。"
COMPARABLE = "同比增速按可比口径计算：仅含本年与上年同期均有数据的企业。"
PULL_NOTE = (
    "拉动增长＝该组企业营业收入增量÷全区上年同期营业收入×100，各组之和等于全区增速；"
    "贡献率＝该组增量÷全区增量×100%，各组之和为100%。增长面、亏损面为营业收入增长、"
    "营业利润为负的企业占比。"
)

SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        key="headline",
        sheet="主要指标",
        title="武进区生产性服务业主要指标（{period}）",
        unit_line="金额单位：亿元",
        model="rpt_headline_indicators",
        period="month",
        columns=(
            Column("序号", "line_number", INT, width=6),
            Column("指标", "indicator_name_zh", TEXT, width=30),
            Column("单位", "display_unit", TEXT, width=8),
            Column("本月", "value_month", VALUE),
            Column("1-本月累计", "value_ytd", VALUE),
            Column("上年同期", "value_year_earlier", VALUE),
            Column("同比（%/百分点/增减）", "yoy_change", DEC1, width=18),
            Column("目标/序时进度", "display_target_value", TARGET, width=14),
            Column("与目标差距", "target_gap", TARGET),
            Column("达标", "target_met", FLAG, width=8),
        ),
        notes=(
            "资料来源：区统计局、区发改局各部门月度报表，经生产性服务业统计数据仓库汇总。",
            COMPARABLE,
            "上年同期：营业收入、营业利润为可比口径的上年同期数（本年数÷(1+增速)）；"
            "同比：金额为增长%，比率为增减百分点，企业数、项目数等为增减数。",
            "年度投资完成率的目标为序时进度（本月÷12×100%）；开工率目标自6月起适用。",
            ROUNDING_NOTE,
        ),
    ),
    *(
        TableSpec(
            key=f"enterprises_by_{scope}",
            sheet=sheet,
            title=f"武进区规上生产性服务业企业{label}情况（{{period}}）",
            unit_line="金额单位：亿元",
            model="rpt_enterprises_by_scope",
            filter_column="table_scope_type",
            filter_value=scope,
            columns=(
                Column(first, "scope_name_zh", TEXT, width=34),
                Column("企业数（家）", "enterprise_count", INT, summed=True),
                Column("营业收入（1-本月）", "revenue_ytd_yi_yuan", DEC2, summed=True, width=18),
                Column("同比增长（%）", "revenue_yoy_pct", DEC1, width=14),
                *(
                    (Column("营业利润（1-本月）", "profit_ytd_yi_yuan", DEC2, True, 18),)
                    if scope == "industry_section"
                    else ()
                ),
                *((Column("增速位次", "revenue_yoy_rank", INT, width=10),) if ranked else ()),
                Column("拉动增长（百分点）", "pull_points", DEC1, summed=True, width=14),
                Column("贡献率（%）", "contribution_pct", DEC1, summed=True, width=12),
                *(
                    (
                        Column("增长面（%）", "growth_share_pct", DEC1, width=12),
                        Column("亏损面（%）", "loss_share_pct", DEC1, width=12),
                    )
                    if scope == "industry_section"
                    else ()
                ),
            ),
            notes=(SOURCE_ENTERPRISES, COMPARABLE, PULL_NOTE, ROUNDING_NOTE),
        )
        for scope, sheet, label, first, ranked in (
            ("industry_section", "分行业门类", "分行业门类", "行业门类", True),
            ("pss_category", "分类别", "分生产性服务业类别", "生产性服务业类别", False),
            ("board", "分板块", "分板块", "板块", True),
        )
    ),
    TableSpec(
        key="city",
        sheet="全市比较",
        title="武进区规模以上服务业在全市中的位次（{period}）",
        unit_line="金额单位：亿元",
        model="rpt_city_comparison",
        columns=(
            Column("行业", "industry_name_zh", TEXT, width=34),
            Column("本区营业收入", "revenue_ytd_yi_yuan", DEC2, width=14),
            Column("占全市比重（%）", "share_of_city_pct", DEC1, width=14),
            Column("本区增速（%）", "revenue_yoy_pct", DEC1, width=12),
            Column("全市增速（%）", "city_yoy_pct", DEC1, width=12),
            Column("高于全市（百分点）", "gap_points", DEC1, width=16),
            Column("全市排位", "city_rank", INT, width=10),
        ),
        notes=(
            "资料来源：常州市统计局常州市各辖市（区）规模以上服务业主要指标；本区数据为市统计局"
            "口径（全部规上服务业企业，含生产性服务业企业）。",
            "全市排位为本区增速在常州市各辖市（区）中的位次（含常州经开区），并列者同位次。",
            ROUNDING_NOTE,
        ),
    ),
    TableSpec(
        key="key_projects",
        sheet="重点项目",
        title="武进区生产性服务业重点项目推进情况（{period}）",
        unit_line="金额单位：亿元",
        model="rpt_key_projects",
        columns=(
            Column("序号", "line_number", INT, width=6),
            Column("项目名称", "project_name", TEXT, width=30),
            Column("所在板块", "board_name", TEXT, width=16),
            Column("级别", "level_name", TEXT, width=8),
            Column("总投资", "total_investment_yi_yuan", DEC2, summed=True),
            Column("年度计划投资", "plan_year_yi_yuan", DEC2, summed=True, width=14),
            Column("1-本月完成投资", "invested_ytd_yi_yuan", DEC2, summed=True, width=16),
            Column("完成年度计划（%）", "plan_share_pct", DEC1, width=16),
            Column("序时进度（%）", "time_schedule_pct", DEC1, width=14),
            Column("滞后序时", "is_behind_schedule", FLAG, width=10, marks=("滞后", "")),
            Column("建设状态", "status_name", TEXT, width=10),
            Column("形象进度", "progress_note", TEXT, width=28),
        ),
        notes=(
            "资料来源：区发改局重点项目月报。",
            "序时进度＝本月÷12×100%；完成年度计划低于序时进度的项目标为“滞后”。",
            ROUNDING_NOTE,
        ),
    ),
    TableSpec(
        key="clusters",
        sheet="集聚区",
        title="武进区生产性服务业集聚区主要指标（{period}）",
        unit_line="金额单位：亿元",
        model="rpt_clusters",
        columns=(
            Column("序号", "line_number", INT, width=6),
            Column("集聚区", "zone_name", TEXT, width=30),
            Column("级别", "zone_level", TEXT, width=8),
            Column("所在板块", "board_name", TEXT, width=16),
            Column("完成投资", "invested_ytd_yi_yuan", DEC2, summed=True),
            Column("营业收入", "revenue_ytd_yi_yuan", DEC2, summed=True),
            Column("利润总额", "profit_ytd_yi_yuan", DEC2, summed=True),
            Column("税收收入", "tax_ytd_yi_yuan", DEC2, summed=True),
            Column("入区企业（家）", "enterprise_count", INT, summed=True, width=14),
            Column("规上企业（家）", "above_scale_count", INT, summed=True, width=14),
        ),
        notes=(
            "资料来源：区发改局集聚区月报；金额为1-本月累计数。",
            ROUNDING_NOTE,
        ),
    ),
    TableSpec(
        key="survey",
        sheet="需求调查",
        title="制造业企业生产性服务需求调查（{period}）",
        unit_line="金额单位：亿元",
        model="rpt_survey_services",
        period="wave",
        columns=(
            Column("排名", "demand_rank", INT, width=6),
            Column("服务项目", "service_name", TEXT, width=20),
            Column("需求较强企业占比（%）", "demand_rate_pct", DEC1, width=20),
            Column("年采购额", "spend_yi_yuan", DEC2, summed=True),
            Column("调查企业（家）", "respondents", INT, width=14),
            Column("重点培育", "is_key_service", FLAG, width=10, marks=("是", "")),
        ),
        notes=(
            "资料来源：区发改局制造业企业生产性服务需求调查（每半年一次）。",
            "需求较强企业占比＝回答“较强”或“强烈”的企业÷调查企业×100%；排名前六位为重点培育行业。",
            ROUNDING_NOTE,
        ),
    ),
)


def decimals(column: Column, row: dict) -> int:
    if column.kind == VALUE:
        return int(row.get("display_decimals") or 0)
    if column.kind == TARGET:
        return int(row.get("target_decimals") or 0)
    return {INT: 0, DEC1: 1, DEC2: 2}.get(column.kind, 0)


def shown(column: Column, row: dict) -> str:
    """A cell as the tables print it: thousands separators, the column's decimals; HELD for a
    figure disclosure control holds."""
    if column.field in (row.get("held_fields") or ()):
        return HELD
    value = row.get(column.field)
    if value is None:
        return ""
    if column.kind == FLAG:
        return column.marks[0] if value else column.marks[1]
    if column.kind == TEXT:
        return str(value)
    text = f"{value:,.{decimals(column, row)}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # not "-0.0"


# Not a table of every month: the figures of months before the report's that were revised
# after they were first published (release.indicator_revision), listed when there are any.
REVISIONS = TableSpec(
    key="revisions",
    sheet="数据修订",
    title="前期数据修订情况（截至{period}）",
    unit_line="金额单位：亿元",
    model="indicator_revision",
    period="month",
    columns=(
        Column("期间", "period_label_zh", TEXT, width=14),
        Column("指标", "indicator_name_zh", TEXT, width=26),
        Column("统计范围", "scope_name_zh", TEXT, width=20),
        Column("单位", "display_unit", TEXT, width=8),
        Column("首次发布", "first_display_value", VALUE),
        Column("现值", "current_display_value", VALUE),
        Column("修订", "display_revision", VALUE),
        Column("修订时间（UTC）", "revised_at_text", TEXT, width=18),
    ),
    notes=(
        "首次发布为该期数据第一次发布时的数值；现值为各部门更正（_更正）报表入库后的数值，空白表示该项已撤销。",
        "各期数据的全部发布版本见统计局内部数仓 marts.fct_indicator_value_history。",
    ),
)
