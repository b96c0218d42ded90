"""docs/contract.md and docs/indicators.md, written from the source declarations, the rule
catalogue and the indicator seed, so that what a department or an analyst reads is what psw
does: `python -m orchestration.cli contract` writes them, and a test fails when the committed
pages and the code disagree."""

from __future__ import annotations

import csv

from orchestration.lib import settings
from orchestration.lib.delivery.reference import SEEDS_DIR
from orchestration.lib.delivery.rules import ERROR, GENERAL, Rule
from orchestration.lib.delivery.sources import (
    MONEY_FACTORS_TO_WAN,
    SOURCES,
    Column,
    Source,
    demand_header,
    spend_header,
    survey_services,
)

INTRO = """\
# 报送规范 / The data contract

本文写给报送数据的部门：每月交什么文件、文件长什么样、每条校验规则的含义，以及文件被拒收后
如何修改。终端、Dagster 界面和校验报告中出现的规则编号（G4、P7、Z5 …）都在这里解释。

Written for the departments that deliver the spreadsheets: which file to deliver each month,
how it must look, what every rule means, and what to do when a file is rejected. Every rule id
that psw prints (in the terminal, on a check in the Dagster UI, in the validation report) is
explained here.

*This page is generated from the code (`python -m orchestration.cli contract`); a test fails
when the two disagree. Do not edit it by hand.*

## 文件放在哪里 / Where files go

```
raw/<source>/<文件名>_<YYYY-MM>.xlsx      e.g. raw/projects/重点项目月报_2025-06.xlsx
```

- 每个来源每月一个 `.xlsx` 文件；文件名中的月份是报告期，也可写作 `YYYYMM` 或 `YYYY年M月`。
  One `.xlsx` per source and month; the month in the name is the reporting period (`2025-06`,
  `202506` or `2025年6月`). `.xls`, `.xlsm`, password-protected and damaged files are rejected.
- 更正：再次报送同名文件，或文件名以 `_更正` 结尾。A correction is the same name again, or a
  name ending `_更正`; it replaces the month, and the version it replaces is kept.

## 表样 / How a sheet may look

标题行（含期间）、`填报单位` 与 `单位：万元` 行、表头（可两行）、数据行、`合计` 行（在上或在下）、
页脚（填报人、联系电话）。表头按名称查找，不按位置；数字可为文本、带千分位或全角；`—`、`-`
或空白按各列说明处理；部门自加的列（如 `备注`）被忽略。

A title row with the period, a unit line, the header (one or two rows), the data rows, a `合计`
row (above or below them), a footer. Headers are found by name, not position; numbers may be
stored as text, with thousands separators or full-width digits; what an empty cell (or `—`)
means is given per column below; columns the contract does not name are ignored.

金额单位 / money units: any of {units}, written in the header or the unit line; the warehouse
keeps 万元.
"""

AFTER = """\
## 拒收之后 / When a file is rejected

- **错误 / error**: the whole file is rejected; nothing of it reaches the warehouse, and the
  month keeps what was loaded before (if anything). The message names the rule, the file, the
  sheet, the Excel rows and the column: correct those cells and deliver the file again (same
  name, or ending `_更正`).
- **警告 / warning**: the file loads; the warning is shown on the check so that someone looks at
  it.
- 一条消息示例 / a message looks like:

  ```
  [G4: 合计行不等于明细之和 / the 合计 row is not the sum of the rows] 重点项目月报_2025-06.xlsx,
    sheet '重点项目', row 25, column '总投资（万元）':
    合计 1,000.00 万元 but the rows add up to 990.00 万元
  ```

## 对外发布 / What is released

The warehouse is the statistics bureau's. What leaves it is the release
(`warehouse/release/psw_release.duckdb`, and each released version of each month as
Parquet, SDMX and a signed report): aggregates only, after disclosure control, reviewed
and approved, published at its time on the release calendar and never changed afterwards
(a correction is a new version, with release notes). A figure made from the enterprises'
survey or the demand survey (a sum of revenue, profit, employees or purchases, or a growth
rate of revenue) is held when fewer than {min_contributors} enterprises contribute to it, or
one contributes more than {dominance} of it, and so is any figure from which a held one could
be worked out; the release keeps its row without a value (CONF_STATUS C), and the report
shows `…` with a footnote. Counts of enterprises, the key projects, the clusters and the
ledger are released as they are. The method and its audit:
[disclosure-control.md](disclosure-control.md).
"""

BLANK = {
    "zero": "视为 0 / zero",
    "null": "不适用 / not applicable",
    "error": "必填 / required",
}
SEVERITY = {ERROR: "错误 / error", "warning": "警告 / warning"}


def _cell(text: str) -> str:
    return str(text).replace("|", "/")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _rules_table(rules: tuple[Rule, ...] | list[Rule]) -> str:
    return _table(
        ["规则 id", "级别 severity", "规则 / what it asks"],
        [[f"**{r.id}**", SEVERITY[r.severity], r.text] for r in rules],
    )


def _columns(source: Source) -> str:
    def row(column: Column, header: str | None = None) -> list[str]:
        return [
            header or column.display_header,
            column.unit or "",
            "是 / yes" if column.required else "否 / no",
            BLANK[column.blank_means],
            column.description,
        ]

    rows = [row(c) for c in source.columns]
    if source.service_columns:
        demand, spend = source.column("demand_level"), source.column("spend_wan_yuan")
        for service in survey_services():
            rows.append(row(demand, demand_header(service)))
            spend_unit = f"（{spend.unit}）" if spend.unit else ""
            rows.append(row(spend, spend_header(service) + spend_unit))
    return _table(
        ["表头 header", "单位 unit", "表头必有 header required", "空白 / an empty cell", "English"],
        rows,
    )


def _sheet(source: Source, level: str) -> list[str]:
    lines = [f"{level} {source.title_zh}（sheet `{source.sheet}`） / {source.title_en}", ""]
    notes = []
    if source.key:
        notes.append(
            f"- 主键 / key: `{source.column(source.key_header).header}` (G5: unique in the file)"
            if source.key_header in {c.name for c in source.all_columns}
            else f"- 主键 / key: {source.key} (G5: unique in the file)"
        )
    if source.identity or any(c.identifier for c in source.columns):
        notes.append(
            "- 编号不分大小写、全角半角，不计空格（`wjsc-2025-001` 即 `WJSC-2025-001`） / keys "
            "and codes are compared without regard to case, width or spaces"
        )
    if source.key and not source.events and source.every == 1:
        notes.append(
            "- 上月报送的本月缺报，给出警告 (G9) / one that last month's file had and this "
            "month's lacks is a warning (G9)"
        )
    if source.identity:
        notes.append(
            f"- 同一事件 / one event (G10: once in the file and once in the year): "
            f"{source.identity.text}. 更正以前月份的事件，请重报该月文件（`…_更正.xlsx`），不要"
            "在本月文件中补报 / to correct an event of an earlier month, deliver that month "
            "again (`…_更正.xlsx`); a later month's file never repeats it"
        )
    if source.cumulative:
        headers = "、".join(f"`{source.column(c).header}`" for c in source.cumulative)
        notes.append(f"- 1-本月累计列 / year-to-date columns (G6): {headers}")
    if source.events:
        notes.append(
            "- 每行一项活动；无活动的月份可只有表头 / one row per event; a month with none "
            "may have the header only"
        )
    lines += notes + ([""] if notes else [])
    lines += [_columns(source), ""]
    if source.rules:
        lines += ["本表规则 / its rules:", "", _rules_table(source.rules), ""]
    return lines


def render() -> str:
    """The whole page."""
    units = ", ".join(
        f"{unit} (× {factor:g} → 万元)" for unit, factor in MONEY_FACTORS_TO_WAN.items()
    )
    out = [INTRO.format(units=units), "## 报送文件 / The sources", ""]
    out.append(
        _table(
            ["来源 source", "文件 file", "报送单位 owner", "周期 cadence", "工作表 sheets"],
            [
                [
                    f"`{s.name}`",
                    f"{s.title_zh}_YYYY-MM.xlsx<br>{s.title_en}",
                    s.owner,
                    s.cadence,
                    "、".join(f"`{part.sheet}`" for part in s.sheets),
                ]
                for s in SOURCES.values()
            ],
        )
    )
    out += ["", "## 通用规则 / Rules every file is checked against", "", _rules_table(GENERAL), ""]
    for source in SOURCES.values():
        out += [f"## `{source.name}`: {source.title_zh} / {source.title_en}", ""]
        if source.parts:
            out += [
                "一个文件、多个工作表；任一表有错误则整个文件拒收。 / One file of several "
                "sheets; an error on any sheet rejects the whole file.",
                "",
            ]
            if source.rules:
                out += ["全文件规则 / rules on the whole file:", "", _rules_table(source.rules), ""]
            for part in source.parts:
                out += _sheet(part, "###")
        else:
            out += _sheet(source, "###")[2:]  # the section title says it already
    rules = settings.disclosure_rules()
    out.append(
        AFTER.format(
            min_contributors=rules.min_contributors, dominance=f"{rules.dominance_share:.0%}"
        )
    )
    return "\n".join(out).rstrip() + "\n"


def render_indicators() -> str:
    """The indicator catalogue (dbt seed ref_indicators.csv, marts.dim_indicator)."""
    rules = settings.disclosure_rules()
    with open(SEEDS_DIR / "ref_indicators.csv", encoding="utf-8") as handle:
        indicators = list(csv.DictReader(handle))
    with open(SEEDS_DIR / "ref_indicator_targets.csv", encoding="utf-8") as handle:
        scoped_targets = {row["indicator_code"] for row in csv.DictReader(handle)}
    out = [
        "# 指标目录 / The indicator catalogue",
        "",
        "`marts.fct_indicator_value` holds one row per indicator, period and scope; "
        "`marts.dim_indicator` is this table in the warehouse. *Generated from "
        "`dbt_project/seeds/ref_indicators.csv` (`python -m orchestration.cli contract`); do not "
        "edit by hand.* Disclosure control (docs/disclosure-control.md) holds a `magnitude`, "
        f"`signed` or `rate` figure of fewer than {rules.min_contributors} enterprises or one "
        f"over {rules.dominance_share:.0%}.",
        "",
    ]
    rows = []
    for i in indicators:
        target = ""
        if i["target_value"]:
            target = f"{i['target_rule']} {i['target_value']}"
        if i["indicator_code"] in scoped_targets:
            target = (target + "; " if target else "") + "per scope (ref_indicator_targets.csv)"
        rows.append(
            [
                f"`{i['indicator_code']}`",
                f"{i['indicator_name_zh']}<br>{i['indicator_name_en']}",
                i["unit"],
                i["definition"],
                f"`{i['source']}`",
                i["required_scopes"].replace(";", ", "),
                target,
                i["disclosure"],
            ]
        )
    out.append(
        _table(
            [
                "代码 code",
                "指标 indicator",
                "单位 unit",
                "口径 definition",
                "来源 source",
                "范围 scopes",
                "目标 target",
                "保密审查 disclosure",
            ],
            rows,
        )
    )
    return "\n".join(out) + "\n"
