"""What each department delivers: sheet, headers, units and keys (../shared/contract/README.md).

This module is the one place the contract's column tables live in code; the reader, the
generator of the sample files, the warehouse tables and the Dagster assets all read it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

# Money is kept in 万元 whatever unit the file uses.
MONEY_FACTORS_TO_WAN = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10_000.0}
DUCKDB_TYPES = {
    "text": "varchar",
    "code": "varchar",
    "month": "varchar",
    "money": "double",
    "number": "double",
    "int": "bigint",
}


@dataclass(frozen=True)
class Column:
    name: str  # warehouse column name
    header: str  # the contract's header text, without the unit
    kind: str  # text | code | month | money | number | int
    unit: str | None = None  # the unit the contract writes in the header
    required: bool = True  # header must be present (G2)
    width: int = 0  # zero-padding for numeric codes
    description: str = ""  # English; the header is the Chinese description
    # What an empty cell (or —, -) means: "zero" (the contract's dash for a figure), "null"
    # (not applicable: no rating, no cluster, no base year) or "error" (a value is required).
    # Unset: figures are zero; other columns are required when their header is.
    blank: str = ""

    @property
    def is_number(self) -> bool:
        return self.kind in ("money", "number", "int")

    @property
    def blank_means(self) -> str:
        if self.blank:
            return self.blank
        if self.is_number:
            return "zero"
        return "error" if self.required else "null"

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.kind]

    @property
    def display_header(self) -> str:
        return f"{self.header}（{self.unit}）" if self.unit else self.header


@dataclass(frozen=True)
class Source:
    name: str  # projects | zones | enterprises | demand_survey
    title_zh: str
    title_en: str
    file_stem: str  # e.g. 重点项目月报 -> raw/projects/重点项目月报_2025-06.xlsx
    sheet: str
    owner: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # demand_survey: per-service column pairs, melted to one row per service
    service_columns: tuple[Column, ...] = field(default=())

    @property
    def table(self) -> str:
        return f"raw.{self.name}"

    def column(self, name: str) -> Column:
        return next(c for c in self.all_columns if c.name == name)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.service_columns


@dataclass(frozen=True)
class SurveyService:
    code: str
    name: str
    pss_code: str


@cache
def survey_services() -> tuple[SurveyService, ...]:
    with open(SEEDS_DIR / "ref_survey_services.csv", encoding="utf-8") as handle:
        return tuple(
            SurveyService(row["service_code"], row["service_name"], row["pss_code"])
            for row in csv.DictReader(handle)
        )


def demand_header(service: SurveyService) -> str:
    return f"{service.name}需求程度"


def spend_header(service: SurveyService) -> str:
    return f"{service.name}年采购额"


SEQ = Column("seq", "序号", "int", required=False, description="row number in the file")

PROJECTS = Source(
    name="projects",
    title_zh="重点项目月报",
    title_en="Key producer-service projects: monthly progress",
    file_stem="重点项目月报",
    sheet="重点项目",
    owner="team:fgj-projects",
    key=("project_id",),
    columns=(
        SEQ,
        Column("project_id", "项目编号", "text", description="project id, stable across months"),
        Column("project_name", "项目名称", "text", description="project name"),
        Column("board", "所属板块", "text", description="board (name or code)"),
        Column("project_level", "项目级别", "text", description="省重点 / 市重点 / 区重点"),
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
            description="未开工 / 在建 / 部分投用 / 竣工投用",
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
)

ZONES = Source(
    name="zones",
    title_zh="集聚区月报",
    title_en="Producer-service clusters: monthly figures",
    file_stem="集聚区月报",
    sheet="集聚区",
    owner="team:fgj-zones",
    key=("zone_name",),
    columns=(
        SEQ,
        Column("zone_name", "集聚区名称", "text", description="cluster name (full or short)"),
        Column("zone_level", "级别", "text", description="省级 / 培育"),
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
)

ENTERPRISES = Source(
    name="enterprises",
    title_zh="规上生产性服务业企业月报",
    title_en="Above-scale producer-service enterprises: monthly survey",
    file_stem="规上生产性服务业企业月报",
    sheet="企业",
    owner="team:tjj",
    key=("credit_code",),
    columns=(
        SEQ,
        Column(
            "credit_code",
            "统一社会信用代码",
            "text",
            description="unified social credit code (18 characters)",
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
        Column("employees", "期末从业人员", "int", "人", description="employees at month end"),
        Column(
            "star_rating",
            "星级企业",
            "text",
            blank="null",
            description="city star rating, empty if none",
        ),
    ),
)

DEMAND_SURVEY = Source(
    name="demand_survey",
    title_zh="制造业企业生产性服务需求调查",
    title_en="Manufacturers' demand for producer services: half-yearly survey",
    file_stem="制造业企业生产性服务需求调查",
    sheet="需求调查",
    owner="team:fgj-survey",
    key=("credit_code", "service_code"),
    columns=(
        SEQ,
        Column(
            "credit_code",
            "统一社会信用代码",
            "text",
            description="unified social credit code (18 characters)",
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
        Column("demand_level", "需求程度", "text", description="无 / 一般 / 较强 / 强烈"),
        Column(
            "spend_wan_yuan",
            "年采购额",
            "money",
            "万元",
            description="yearly purchases of the service",
        ),
    ),
)

SOURCES: dict[str, Source] = {s.name: s for s in (PROJECTS, ZONES, ENTERPRISES, DEMAND_SURVEY)}

# Columns every raw table carries besides the source's own.
LINEAGE_COLUMNS = (
    ("month", "varchar", "reporting month YYYY-MM (the partition key)"),
    ("excel_row", "bigint", "row number in the spreadsheet"),
    ("source_file", "varchar", "file name the row was read from"),
    ("source_sha256", "varchar", "SHA-256 of that file"),
    ("loaded_at", "timestamp", "when the row was written (UTC)"),
)
