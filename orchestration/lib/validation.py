"""Validating a parsed month with Great Expectations before anything of it is written.

Each source has one suite (`suite_for`), built from the contract's rules; every expectation
carries its rule id, severity and column in its `meta`. What a rule needs beyond the file
itself comes in two ways: last month's figures from the warehouse as extra columns of the
frame (`previous_*`, for G6), and per-file bounds as GX expectation parameters (the 合计 row
for G4, last month's row count for G7, last month's zones for Z6).

Great Expectations is imported only when a file is validated: loading the code location
never pays for it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.lib import reference
from orchestration.lib.sources import MONEY_FACTORS_TO_WAN, Source, survey_services
from orchestration.lib.spreadsheet import ParsedSheet, Problem

ERROR, WARNING = "error", "warning"
MAX_ROWS_SHOWN = 20
UNBOUNDED = 1e300  # GX parameters must be numbers: "no bound" for a file without a 合计 row


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    text: str  # 中文 / English


RULES = {
    r.id: r
    for r in (
        Rule(
            "G1",
            ERROR,
            "文件无法读取、不是唯一的报表或无数据行 / the file cannot be read, is not "
            "the one file and sheet of its month, or has no data rows",
        ),
        Rule(
            "G2",
            ERROR,
            "表头缺失、重复或单位不符 / a header is missing, ambiguous or in the wrong unit",
        ),
        Rule(
            "G3",
            ERROR,
            "文件名与标题的期间不一致 / the file name and the title name different periods",
        ),
        Rule(
            "TYPE",
            ERROR,
            "数字或年月格式不对 / a cell that must hold a number or a month holds something else",
        ),
        Rule(
            "CELL",
            ERROR,
            "单元格为错误值、未计算的公式或合并的数字 / an Excel error value, a "
            "formula never calculated, or a figure merged over several rows",
        ),
        Rule(
            "DBT",
            ERROR,
            "数仓测试在本文件的行上未通过 / a test of the warehouse (dbt) "
            "failed on this file's rows",
        ),
        Rule("REQ", ERROR, "必填项为空 / a cell that must hold a value is empty"),
        Rule("G4", ERROR, "合计行不等于明细之和 / the 合计 row is not the sum of the rows"),
        Rule("G5", ERROR, "主键重复 / duplicate key"),
        Rule("G6", ERROR, "累计数小于上月 / a cumulative figure is below last month's"),
        Rule("G7", WARNING, "行数较上月变化超过30% / row count more than 30% off last month's"),
        Rule("P1", ERROR, "项目编号、项目名称必填 / project id and name are required"),
        Rule("P2", ERROR, "所属板块不在板块代码表中 / unknown board"),
        Rule("P3", ERROR, "项目级别不在代码表中 / unknown project level"),
        Rule("P4", ERROR, "服务领域不在分类中 / unknown producer-service category"),
        Rule("P5", ERROR, "面积不能为负 / an area is negative"),
        Rule("P6", ERROR, "总投资必须大于0 / total investment must be positive"),
        Rule("P7", ERROR, "年度计划投资应在0与总投资之间 / the year's plan must be 0..total"),
        Rule(
            "P8", ERROR, "本月完成投资应在0与1-本月累计之间 / the month's investment must be 0..YTD"
        ),
        Rule("P9", ERROR, "1-本月累计完成投资不能为负 / YTD investment is negative"),
        Rule(
            "P10",
            ERROR,
            "开工以来累计应不小于1-本月累计且不超过总投资×1.05 / "
            "invested since start must be ≥ YTD and ≤ total × 1.05",
        ),
        Rule(
            "P11", ERROR, "计划竣工年月早于计划开工年月 / planned completion before planned start"
        ),
        Rule("P12", ERROR, "建设状态不在代码表中 / unknown construction status"),
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
        Rule(
            "Z6",
            WARNING,
            "上月报送的集聚区本月缺报 / a cluster that reported last month is missing",
        ),
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
}

# Cumulative (1-本月) columns G6 compares with last month's, and the key they are matched on.
CUMULATIVE = {
    "projects": ("project_id", ("invested_ytd_wan_yuan",)),
    "zones": ("zone_code", ("invested_ytd_wan_yuan", "revenue_ytd_wan_yuan")),
    "enterprises": ("credit_code", ("revenue_ytd_wan_yuan",)),
}
KEYS = {
    "projects": "project_id",
    "zones": "zone_code",
    "enterprises": "credit_code",
    "demand_survey": "credit_code",
}
SHOWN_KEYS = KEYS | {"zones": "zone_name"}
STARS = ["一星", "二星", "三星", "四星", "五星"]
DEMAND_LEVELS = ["无", "一般", "较强", "强烈"]


# ---------------------------------------------------------------- the suites


def _expect(kind: str, rule: str, shown: str | None = None, **kwargs):
    """An expectation tagged with its rule; `shown` is the column its problems point at."""
    import great_expectations as gx

    from orchestration.lib import gx_expectations

    meta = {"rule": rule, "severity": RULES[rule].severity, "rule_text": RULES[rule].text}
    if shown:
        meta["column"] = shown
    expectation = getattr(gx.expectations, kind, None) or getattr(gx_expectations, kind)
    return expectation(meta=meta, **kwargs)


def _between(rule, column, low=None, high=None, strict_low=False):
    return _expect(
        "ExpectColumnValuesToBeBetween",
        rule,
        column,
        column=column,
        min_value=low,
        max_value=high,
        strict_min=strict_low,
    )


def _a_not_below_b(rule, a, b, column=None):
    return _expect(
        "ExpectColumnPairValuesAToBeGreaterThanB",
        rule,
        column or a,
        column_A=a,
        column_B=b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def _in_set(rule, column, values, shown_column=None):
    return _expect(
        "ExpectColumnValuesToBeInSet",
        rule,
        shown_column or column,
        column=column,
        value_set=sorted(values),
    )


def _required(rule, column, shown_column=None):
    return _expect("ExpectColumnValuesToNotBeNull", rule, shown_column or column, column=column)


def _total_parameter(bound: str, column: str) -> str:
    return f"total_{bound}__{column.replace(':', '__')}"  # GX parameter names are identifiers


def sum_columns(source: Source) -> list[str]:
    """The columns whose 合计 G4 checks: every figure of the sheet."""
    numeric = [
        c.name for c in source.columns if c.kind in ("money", "number", "int") and c.name != "seq"
    ]
    for service in survey_services() if source.service_columns else ():
        numeric.append(f"{service.code}:spend_wan_yuan")
    return numeric


def required_values(source: Source) -> list[str]:
    """The columns whose every row must hold a value (every rule downstream, and every dbt
    test of the marts, relies on them)."""
    names = [c.name for c in source.columns if c.blank_means == "error"]
    if source.service_columns and source.column("demand_level").blank_means == "error":
        names += [f"{service.code}:demand_level" for service in survey_services()]
    return names


def suite_for(source: Source) -> list:
    """Every expectation of a source's suite, general rules first."""
    name = source.name
    boards = reference.names_and_codes("boards", "board_code", "board_name")
    expectations = [
        _expect("ExpectTableRowCountToBeBetween", "G1", min_value=1),
        _expect(
            "ExpectTableRowCountToBeBetween",
            "G7",
            min_value={"$PARAMETER": "row_count_min"},
            max_value={"$PARAMETER": "row_count_max"},
        ),
        _expect("ExpectColumnValuesToBeUnique", "G5", SHOWN_KEYS[name], column=KEYS[name]),
    ]
    for column in sum_columns(source):
        expectations.append(
            _expect(
                "ExpectColumnSumToBeBetween",
                "G4",
                column,
                column=column,
                min_value={"$PARAMETER": _total_parameter("min", column)},
                max_value={"$PARAMETER": _total_parameter("max", column)},
            )
        )
    for column in CUMULATIVE.get(name, ("", ()))[1]:
        expectations.append(_a_not_below_b("G6", column, f"previous_{column}"))
    for column in required_values(source):
        expectations.append(_required("REQ", column))

    if name == "projects":
        expectations += [
            _required("P1", "project_id"),
            _required("P1", "project_name"),
            _in_set("P2", "board", boards),
            _in_set(
                "P3",
                "project_level",
                reference.names_and_codes("project_levels", "level_code", "level_name"),
            ),
            _in_set(
                "P4",
                "pss_category",
                reference.names_and_codes("pss2019_categories", "pss_code", "pss_name"),
            ),
            _between("P5", "land_area_mu", 0),
            _between("P5", "floor_area_sqm", 0),
            _between("P6", "total_investment_wan_yuan", 0, strict_low=True),
            _between("P7", "plan_year_wan_yuan", 0),
            _a_not_below_b(
                "P7", "total_investment_wan_yuan", "plan_year_wan_yuan", "plan_year_wan_yuan"
            ),
            _between("P8", "invested_month_wan_yuan", 0),
            _a_not_below_b(
                "P8", "invested_ytd_wan_yuan", "invested_month_wan_yuan", "invested_month_wan_yuan"
            ),
            _between("P9", "invested_ytd_wan_yuan", 0),
            _a_not_below_b("P10", "invested_since_start_wan_yuan", "invested_ytd_wan_yuan"),
            _a_not_below_b(
                "P10",
                "investment_ceiling_wan_yuan",
                "invested_since_start_wan_yuan",
                "invested_since_start_wan_yuan",
            ),
            _a_not_below_b("P11", "planned_finish_month", "planned_start_month"),
            _in_set(
                "P12",
                "construction_status",
                reference.names_and_codes("construction_statuses", "status_code", "status_name"),
            ),
        ]
    elif name == "zones":
        expectations += [
            _required("Z1", "zone_code", "zone_name"),
            _expect(
                "ExpectColumnPairValuesToBeEqual",
                "Z2",
                "zone_level",
                column_A="zone_level",
                column_B="reference_zone_level",
                ignore_row_if="either_value_is_missing",
            ),
            _expect(
                "ExpectColumnPairValuesToBeEqual",
                "Z3",
                "board",
                column_A="board_code",
                column_B="reference_board_code",
                ignore_row_if="either_value_is_missing",
            ),
            _between("Z4", "invested_ytd_wan_yuan", 0),
            _between("Z4", "revenue_ytd_wan_yuan", 0),
            _between("Z4", "tax_ytd_wan_yuan", 0),
            _between("Z5", "enterprise_count", 0),
            _between("Z5", "employees", 0),
            _a_not_below_b("Z5", "enterprise_count", "above_scale_count", "above_scale_count"),
            _expect(
                "ExpectColumnDistinctValuesToContainSet",
                "Z6",
                "zone_name",
                column="zone_code",
                value_set={"$PARAMETER": "previous_zones"},
            ),
        ]
    elif name == "enterprises":
        expectations += [
            _expect(
                "ExpectColumnValuesToBeValidCreditCode", "E1", "credit_code", column="credit_code"
            ),
            _required("E2", "enterprise_name"),
            _in_set("E3", "board", boards),
            _in_set(
                "E4",
                "zone",
                reference.names_and_codes("zones", "zone_code", "zone_name", "short_name"),
            ),
            _expect(
                "ExpectColumnValuesToMatchRegex",
                "E5",
                "industry_code",
                column="industry_code",
                regex=r"^\d{4}$",
            ),
            _required("E5", "industry_section", "industry_code"),
            _in_set("E6", "pss_code", reference.names_and_codes("pss2019_categories", "pss_code")),
            _between("E7", "revenue_month_wan_yuan", 0),
            _a_not_below_b(
                "E7", "revenue_ytd_wan_yuan", "revenue_month_wan_yuan", "revenue_ytd_wan_yuan"
            ),
            _between("E8", "revenue_ytd_prior_year_wan_yuan", 0),
            _between("E8", "employees", 0),
            _in_set("E9", "star_rating", STARS),
            _between("E10", "comparable_growth", -0.8, 3.0),
        ]
    elif name == "demand_survey":
        expectations += [
            _expect(
                "ExpectColumnValuesToBeValidCreditCode", "S1", "credit_code", column="credit_code"
            ),
            _required("S2", "enterprise_name"),
            _in_set("S3", "board", boards),
            _expect(
                "ExpectColumnValuesToBeBetween",
                "S4",
                "industry_code",
                column="industry_division",
                min_value=13,
                max_value=43,
            ),
            _required("S4", "industry_division", "industry_code"),
            _between("S5", "revenue_prior_year_wan_yuan", 2000),
            _between("S6", "employees", 0),
        ]
        for service in survey_services():
            expectations += [
                _in_set("S7", f"{service.code}:demand_level", DEMAND_LEVELS),
                _between("S8", f"{service.code}:spend_wan_yuan", 0),
            ]
    return expectations


# ---------------------------------------------------------------- the frame and its context


@dataclass
class PreviousMonth:
    """What the warehouse holds of the month before, for the rules that compare months."""

    month: str
    rows: pd.DataFrame
    same_year: bool

    @property
    def row_count(self) -> int:
        return len(self.rows)


def month_before(month: str) -> str:
    first = dt.date.fromisoformat(f"{month}-01")
    previous = first - dt.timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


def previous_month(
    conn: duckdb.DuckDBPyConnection, source: Source, month: str
) -> PreviousMonth | None:
    """Last month's rows of a monthly source, as loaded; None for the half-yearly survey."""
    if source.name == "demand_survey":
        return None
    exists = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' "
        "and table_name = ?",
        [source.name],
    ).fetchall()[0][0]
    if not exists:
        return None
    before = month_before(month)
    rows = conn.execute(f"select * from {source.table} where month = ?", [before]).df()
    return PreviousMonth(before, rows, before[:4] == month[:4])


def _zone_codes(names: pd.Series) -> pd.Series:
    zones = reference.rows_by("zones", "zone_code", "zone_name", "short_name")
    return names.map(lambda n: zones[n]["zone_code"] if n in zones else None)


def validation_frame(parsed: ParsedSheet, previous: PreviousMonth | None) -> pd.DataFrame:
    """The parsed rows indexed by Excel row, with the derived columns the suite checks."""
    frame = parsed.rows.set_index("excel_row")
    name = parsed.source.name
    if name == "projects":
        frame["investment_ceiling_wan_yuan"] = frame["total_investment_wan_yuan"] * 1.05
    elif name == "zones":
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
    elif name == "enterprises":
        frame["industry_section"] = frame["industry_code"].map(
            lambda c: reference.section_of_division(c[:2]) if isinstance(c, str) else None
        )
        prior = frame["revenue_ytd_prior_year_wan_yuan"]
        frame["comparable_growth"] = (frame["revenue_ytd_wan_yuan"] / prior - 1).where(prior > 0)
    elif name == "demand_survey":
        frame["industry_division"] = pd.to_numeric(frame["industry_code"].str[:2], errors="coerce")

    key, cumulative = CUMULATIVE.get(name, (None, ()))
    if cumulative:
        last = pd.DataFrame(columns=list(cumulative), dtype=float)  # no month to compare with
        if previous is not None and previous.same_year and len(previous.rows):
            last = previous.rows.copy()
            if name == "zones":
                last["zone_code"] = _zone_codes(last["zone_name"])
            last = last.drop_duplicates(key).set_index(key)
        for column in cumulative:
            frame[f"previous_{column}"] = frame[key].map(last[column]).astype(float)
    return frame


def parameters(parsed: ParsedSheet, previous: PreviousMonth | None) -> dict:
    """The per-file bounds the suite's $PARAMETERs stand for."""
    params: dict = {}
    for column in sum_columns(parsed.source):
        total = (parsed.total or {}).get(column)
        if total is None or (isinstance(total, float) and math.isnan(total)):
            params[_total_parameter("min", column)] = -UNBOUNDED
            params[_total_parameter("max", column)] = UNBOUNDED
            continue
        # to 0.01 of the file's unit, as the contract says, in 万元
        unit_tolerance = 0.01 * _unit_factor(parsed, column) + 1e-6
        params[_total_parameter("min", column)] = total - unit_tolerance
        params[_total_parameter("max", column)] = total + unit_tolerance
    if previous is not None and previous.row_count:
        params["row_count_min"] = math.floor(previous.row_count * 0.7)
        params["row_count_max"] = math.ceil(previous.row_count * 1.3)
    else:
        params["row_count_min"], params["row_count_max"] = 0, UNBOUNDED
    zones = []
    if parsed.source.name == "zones" and previous is not None and len(previous.rows):
        zones = sorted(c for c in _zone_codes(previous.rows["zone_name"]).dropna().unique())
    params["previous_zones"] = zones
    return params


def _unit_factor(parsed: ParsedSheet, column: str) -> float:
    return MONEY_FACTORS_TO_WAN.get(parsed.units.get(column, "万元"), 1.0)


# ---------------------------------------------------------------- running GX


@cache
def _context(gx_dir: str, docs_dir: str):
    import great_expectations as gx

    from orchestration.lib import gx_expectations  # noqa: F401  (stored suites use it)

    context = gx.get_context(mode="file", project_root_dir=gx_dir)
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.variables.save()
    site = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
    }
    sites = context.get_config().data_docs_sites or {}
    if "psw" not in sites:
        context.add_data_docs_site(site_name="psw", site_config=site)
    context.data_sources.add_or_update_pandas("psw")
    return context


@cache
def _checkpoint(gx_dir: str, docs_dir: str, source_name: str):
    import great_expectations as gx

    from orchestration.lib.sources import SOURCES

    context = _context(gx_dir, docs_dir)
    datasource = context.data_sources.get("psw")
    names = {a.name for a in datasource.assets}
    asset = (
        datasource.get_asset(source_name)
        if source_name in names
        else datasource.add_dataframe_asset(source_name)
    )
    batches = {b.name for b in asset.batch_definitions}
    batch = (
        asset.get_batch_definition("month")
        if "month" in batches
        else asset.add_batch_definition_whole_dataframe("month")
    )
    suite = context.suites.add_or_update(
        gx.ExpectationSuite(name=source_name, expectations=suite_for(SOURCES[source_name]))
    )
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=source_name, data=batch, suite=suite)
    )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=source_name,
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=["psw"])],
            result_format={"result_format": "COMPLETE", "partial_unexpected_count": MAX_ROWS_SHOWN},
        )
    )


@dataclass
class Validation:
    problems: list[Problem]
    evaluated: int  # expectations evaluated
    docs_url: str | None


def validate(
    parsed: ParsedSheet, previous: PreviousMonth | None, gx_dir: Path, docs_dir: Path
) -> Validation:
    """Run the source's suite on the parsed month; every failure becomes a located Problem."""
    frame = validation_frame(parsed, previous)
    checkpoint = _checkpoint(str(gx_dir), str(docs_dir), parsed.source.name)
    result = checkpoint.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters(parsed, previous),
        run_id=None,
    )
    identifier, suite_result = next(iter(result.run_results.items()))
    urls = _context(str(gx_dir), str(docs_dir)).get_docs_sites_urls(
        resource_identifier=identifier, site_name="psw"
    )
    problems = [_problem(parsed, r) for r in suite_result.results if not r.success]
    return Validation(problems, len(suite_result.results), urls[0]["site_url"] if urls else None)


def _plain(value) -> str:
    """A cell value for a message: 1310 rather than np.int64(1310); pairs as a / b."""
    if isinstance(value, list | tuple):
        return " / ".join(_plain(v) for v in value)
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _problem(parsed: ParsedSheet, result) -> Problem:
    meta = result.expectation_config.meta or {}
    rule = meta.get("rule", "GX")
    column = meta.get("column")
    header = parsed.header(column) if column else None
    where = {"file": parsed.path.name, "sheet": parsed.sheet, "column": header}
    if result.exception_info and result.exception_info.get("raised_exception"):
        # GX failing to evaluate a rule is never a pass
        return Problem(
            rule,
            f"{meta.get('rule_text', '')}: could not be checked: "
            f"{result.exception_info.get('exception_message')}",
            **where,
        )
    details = result.result or {}
    rows = sorted(
        {
            item["excel_row"]
            for item in details.get("unexpected_index_list") or []
            if isinstance(item, dict) and "excel_row" in item
        }
    )
    count = details.get("unexpected_count") or len(rows) or 1
    message = meta.get("rule_text", "")
    observed = details.get("observed_value")
    if rule == "G4":
        rows = [parsed.total_row] if parsed.total_row else []
        total = (parsed.total or {}).get(column)
        unit = " 万元" if column in parsed.units else ""
        message += f": 合计 {total:,.2f}{unit} but the rows add up to {observed:,.2f}{unit}"
    elif rule in ("G1", "G7"):
        message += f": {observed} rows"
    elif rule == "Z6":
        message += f": present {observed}"
    else:
        shown = details.get("partial_unexpected_list") or []
        if shown:
            message += f": e.g. {', '.join(_plain(v) for v in shown[:3])}"
    return Problem(
        rule,
        message,
        severity=meta.get("severity", ERROR),
        row=rows[0] if rows else None,
        rows=tuple(rows[:MAX_ROWS_SHOWN]),
        count=count,
        **where,
    )


def build_data_docs(gx_dir: Path, docs_dir: Path) -> Path:
    """(Re)build the Data Docs site of every stored validation; returns its index page."""
    _context(str(gx_dir), str(docs_dir)).build_data_docs(site_names=["psw"])
    return Path(docs_dir) / "index.html"
