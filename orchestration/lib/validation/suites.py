"""Validating a parsed month with Great Expectations before anything of it is written.

Each source has one suite (`suite_for`): the general rules here, then the source's own
(delivery/sources/<source>.py); every expectation carries its rule id and column in its
`meta`. What a rule needs beyond the file itself comes in two ways: last month's figures from
the warehouse as extra columns of the frame (`previous_*`, for G6), and per-file bounds as GX
expectation parameters (the 合计 row for G4, last month's row count for G7, last month's keys
for the rule on rows gone missing, G9). runner.py runs the suite and
results.py tells each failure as a located Problem.

Great Expectations is imported only when a file is validated: loading the code location
never pays for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.lib.delivery.expectations import expect, not_below, required
from orchestration.lib.delivery.problems import Problem, RuleResult
from orchestration.lib.delivery.sources import MONEY_FACTORS_TO_WAN, Source, survey_services
from orchestration.lib.loading.writes import CURRENT
from orchestration.lib.periods import month_before
from orchestration.lib.reading.sheet import ParsedSheet
from orchestration.lib.validation.results import problem_from_result, rule_result
from orchestration.lib.validation.runner import run_suite

UNBOUNDED = 1e300  # GX parameters must be numbers: "no bound" for a file without a 合计 row
# where an event of the file was reported before: "2025-05 row 6 of <file>", or "row 5 of
# this file" (G10)
REPEAT_OF = "repeat_of"


# ---------------------------------------------------------------- the suites


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
    expectations = []
    if not source.events:  # a month may have no events, and their number varies
        expectations += [
            expect("ExpectTableRowCountToBeBetween", "G1", min_value=1),
            expect(
                "ExpectTableRowCountToBeBetween",
                "G7",
                min_value={"$PARAMETER": "row_count_min"},
                max_value={"$PARAMETER": "row_count_max"},
            ),
        ]
    if source.key:
        expectations.append(
            expect("ExpectColumnValuesToBeUnique", "G5", source.key_header, column=source.key)
        )
    if source.key and not source.events and source.every == 1:
        expectations.append(  # last month's projects, clusters, enterprises are all here
            expect(
                "ExpectColumnDistinctValuesToContainSet",
                "G9",
                source.key_header,
                column=source.key,
                value_set={"$PARAMETER": "previous_keys"},
            )
        )
    if source.identity:  # once in the file and once in the year: one column says where not
        shown = source.identity.written_as
        expectations.append(expect("ExpectColumnValuesToBeNull", "G10", shown, column=REPEAT_OF))
    for column in sum_columns(source):
        expectations.append(
            expect(
                "ExpectColumnSumToBeBetween",
                "G4",
                column,
                column=column,
                min_value={"$PARAMETER": _total_parameter("min", column)},
                max_value={"$PARAMETER": _total_parameter("max", column)},
            )
        )
    for column in source.cumulative:
        expectations.append(not_below("G6", column, f"previous_{column}"))
    for column in required_values(source):
        expectations.append(required("REQ", column))

    return expectations + source.expectations()


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


def _has_table(conn: duckdb.DuckDBPyConnection, source: Source) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' "
            "and table_name = ?",
            [source.name],
        ).fetchall()[0][0]
    )


def previous_month(
    conn: duckdb.DuckDBPyConnection, source: Source, month: str
) -> PreviousMonth | None:
    """Last month's rows of a monthly source, as loaded and with the source's derived columns
    (its key may be one); None for the half-yearly survey."""
    if source.every > 1 or not _has_table(conn, source):  # a wave is not compared
        return None
    before = month_before(month)
    rows = conn.execute(
        f"select * from {source.table} where month = ? and {CURRENT}", [before]
    ).df()
    return PreviousMonth(before, source.derive(rows), before[:4] == month[:4])


def year_rows(conn: duckdb.DuckDBPyConnection, source: Source, month: str) -> pd.DataFrame | None:
    """The warehouse's rows of the year's other months, with the source's derived columns,
    for a source whose events have an identity across the year (None for the others).

    A correction of an earlier month's event is a re-delivery of that month (…_更正.xlsx):
    the month being loaded is never among them, since its rows are the ones replaced."""
    if not source.identity or not _has_table(conn, source):
        return None
    rows = conn.execute(
        f"select * from {source.table} where month like ? and month != ? and {CURRENT} "
        "order by month, excel_row",
        [f"{month[:4]}-%", month],
    ).df()
    return source.derive(rows)


def _repeats(
    identities: pd.Series, earlier: pd.DataFrame | None, identity: str, in_file: bool = True
) -> pd.Series:
    """Where each event (identities indexed by Excel row) was reported before: in another
    month of the year ('2025-05 row 6 of <file>'), or (`in_file`) higher up in the file ('row
    5 of this file'); None for an event reported the first time."""
    rows = pd.Series(identities.index, index=identities.index)
    before = identities.duplicated(keep="first") & identities.notna() & in_file
    firsts = rows[~identities.duplicated(keep="first")].set_axis(
        identities[~identities.duplicated(keep="first")]
    )
    here = ("row " + identities[before].map(firsts).astype(str) + " of this file").reindex(
        identities.index
    )
    if earlier is not None and len(earlier):
        first = earlier.dropna(subset=[identity]).drop_duplicates(identity).set_index(identity)
        where = (
            first["month"]
            + " row "
            + first["excel_row"].astype(str)
            + " of "
            + first["source_file"].astype(str)
        )
        here = identities.map(where).where(identities.notna()).combine_first(here)
    return here.astype(object).where(here.notna(), None)


def validation_frame(
    parsed: ParsedSheet, previous: PreviousMonth | None, earlier: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The parsed rows indexed by Excel row, with the derived columns the suite checks
    (`earlier`: the year's other months, for a source whose events have an identity)."""
    source = parsed.source
    frame = source.derive(parsed.rows.assign(month=parsed.month).set_index("excel_row"))
    key, cumulative = source.key, source.cumulative
    if source.identity:
        column = source.identity.column  # an identity that is the key: G5 within the file
        frame[REPEAT_OF] = _repeats(frame[column], earlier, column, in_file=column != key)
    if cumulative:
        last = pd.DataFrame(columns=list(cumulative), dtype=float)  # no month to compare with
        if previous is not None and previous.same_year and len(previous.rows):
            last = previous.rows.drop_duplicates(key).set_index(key)
        for column in cumulative:
            frame[f"previous_{column}"] = frame[key].map(last[column]).astype(float)
    # GX checks a float column at once, a nullable integer one value by value (exact either
    # way: no count in a sheet comes near 2**53)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.Int64Dtype):
            frame[column] = frame[column].astype("float64")
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
    keys = []  # the rows last month had, for a source's rule on rows gone missing
    if previous is not None and len(previous.rows) and parsed.source.key:
        keys = sorted(previous.rows[parsed.source.key].dropna().unique())
    params["previous_keys"] = keys
    return params


def _unit_factor(parsed: ParsedSheet, column: str) -> float:
    return MONEY_FACTORS_TO_WAN.get(parsed.units.get(column, "万元"), 1.0)


@dataclass
class Validation:
    problems: list[Problem]
    checked: list[RuleResult]  # every expectation of the suite, passed or not


def validate(
    parsed: ParsedSheet,
    previous: PreviousMonth | None,
    gx_dir: Path,
    docs_dir: Path,
    earlier: pd.DataFrame | None = None,
) -> Validation:
    """Run the source's suite on the parsed month; every failure becomes a located Problem."""
    source = parsed.source
    results = run_suite(
        source.name,
        lambda: suite_for(source),
        validation_frame(parsed, previous, earlier),
        parameters(parsed, previous),
        gx_dir,
        docs_dir,
    )
    results = [r for r in results if _applies(parsed, r)]
    failed = [r for r in results if not r.success]
    return Validation(
        [problem_from_result(parsed, r) for r in failed],
        [rule_result(parsed, r) for r in results],
    )


def _applies(parsed: ParsedSheet, result) -> bool:
    """Whether a rule's result is about this file: G4 sums a column the file has; an optional
    column an older file does not have (上年同期1-本月营业利润) has no 合计 to add up to."""
    meta = result.expectation_config.meta or {}
    return not (meta.get("rule") == "G4" and meta.get("column") not in parsed.headers)
