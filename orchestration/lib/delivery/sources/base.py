"""What a source is: its sheet, columns and units, key, cadence and rules; the declarations
themselves stand beside this module, one per source (docs/contract.md is written from them)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from orchestration.lib.delivery.reference import SEEDS_DIR
from orchestration.lib.delivery.rules import Rule

# Money is kept in 万元 whatever unit the file uses.
MONEY_FACTORS_TO_WAN = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10_000.0}
DUCKDB_TYPES = {
    "text": "varchar",
    "code": "varchar",
    "month": "varchar",
    "date": "date",
    "money": "double",
    "number": "double",
    "int": "bigint",
}


@dataclass(frozen=True)
class Column:
    name: str  # warehouse column name
    header: str  # the contract's header text, without the unit
    kind: str  # text | code | month | date | money | number | int
    unit: str | None = None  # the unit the contract writes in the header
    required: bool = True  # header must be present (G2)
    width: int = 0  # zero-padding for numeric codes
    description: str = ""  # English; the header is the Chinese description
    # What an empty cell (or —, -) means: "zero" (the contract's dash for a figure), "null"
    # (not applicable: no rating, no cluster, no base year) or "error" (a value is required).
    # Unset: figures are zero; other columns are required when their header is.
    blank: str = ""
    # a key or code compared across rows, files and months: kept as text.comparable writes
    # it (no spaces, capitals), so a re-typed `wjsc-2025-001` is the project it names
    identifier: bool = False

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
class Identity:
    """An event's identity across the year, a column that `derive` writes."""

    column: str
    written_as: str  # the column a repeat's problem points at
    text: str  # 中文 / English, for the contract


@dataclass(frozen=True)
class Source:
    """A source (one file a month), or one sheet of a source whose file has several: a sheet
    of its own is declared as a Source listed in its file's `sheets`."""

    name: str  # the raw folder (and raw table) of a source; the raw table of a sheet
    title_zh: str
    title_en: str
    file_stem: str = ""  # e.g. 重点项目月报 -> raw/projects/重点项目月报_2025-06.xlsx
    sheet: str = ""
    owner: str = ""
    columns: tuple[Column, ...] = ()
    # the column naming a row within a month (G5 unique; G6 matches last month's rows on it),
    # and, where that column is derived, the one the department writes; none for events
    key: str | None = None
    key_written_as: str | None = None
    # 1-本月 (year-to-date) columns, never below last month's (G6)
    cumulative: tuple[str, ...] = ()
    # cadence: a file every `every` months from `first_month` of the year
    every: int = 1
    first_month: int = 1
    # rows are events: their number varies and may be zero (no G1 minimum, no G7)
    events: bool = False
    # what makes an event the same event across the year: the same identity twice in the
    # file, or in another month of the same year, is one event reported twice (G10)
    identity: Identity | None = None
    # demand_survey: per-service column pairs, melted to one row per service
    service_columns: tuple[Column, ...] = field(default=())
    # the source's own rules (P1.., Z1..), their GX expectations, and the columns they need
    # derived from the rows (codes looked up, ratios); the general rules are lib/validation's
    rules: tuple[Rule, ...] = ()
    expectations: Callable[[], list] = field(default=list, repr=False, compare=False)
    derive: Callable[[pd.DataFrame], pd.DataFrame] = field(
        default=lambda frame: frame, repr=False, compare=False
    )
    # a file of several sheets: one declaration per sheet, each its own raw table; the file
    # is one delivery (an error on any sheet rejects it all)
    parts: tuple[Source, ...] = ()

    @property
    def sheets(self) -> tuple[Source, ...]:
        """What is read from the file: the source itself, or each of its sheets."""
        return self.parts or (self,)

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        return self.rules + tuple(r for part in self.parts for r in part.rules)

    @property
    def table(self) -> str:
        return f"raw.{self.name}"

    @property
    def key_header(self) -> str | None:
        return self.key_written_as or self.key

    def expects(self, month: str) -> bool:
        """Whether a file is due for the month ('YYYY-MM')."""
        number = int(month[5:7])
        return number >= self.first_month and number % self.every == 0

    @property
    def cadence(self) -> str:
        """The months a file is due, as the contract says them (中文 / English)."""
        if self.every > 1:
            months = [m for m in range(self.every, 13, self.every) if m >= self.first_month]
            return (
                "每半年（{}） / every half year (reference months {})".format(
                    "、".join(f"{m}月" for m in months), ", ".join(f"{m:02d}" for m in months)
                )
                if self.every == 6
                else f"every {self.every} months"
            )
        if self.first_month > 1:
            first = self.first_month
            return (
                f"每月，{first}月起（1-{first}月合并于{first}月报送） / every month from "
                f"{first:02d} (the months before are reported in month {first:02d}'s file)"
            )
        return "每月 / every month"

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

# Columns every raw table carries besides the source's own: name, type, 中文 / English.
LINEAGE_COLUMNS = (
    ("month", "varchar", "报告期 YYYY-MM（分区键） / reporting month YYYY-MM (the partition key)"),
    ("excel_row", "bigint", "在表格中的行号 / row number in the spreadsheet"),
    ("source_file", "varchar", "来源文件名 / file name the row was read from"),
    ("source_sha256", "varchar", "来源文件的 SHA-256 / SHA-256 of that file"),
    ("loaded_at", "timestamp", "写入时间（UTC） / when the row was written (UTC)"),
    (
        "load_id",
        "varchar",
        "写入该行的载入编号 / the load that wrote the row (raw.load_log.load_id)",
    ),
    (
        "superseded_at",
        "timestamp",
        "被更正版本取代的时间（UTC），当前版本为空 / when a later version of the month "
        "replaced the row (UTC); null while it is current",
    ),
    ("superseded_by", "varchar", "取代该行的载入编号 / the load that replaced it"),
)
