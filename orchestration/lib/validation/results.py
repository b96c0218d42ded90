"""A failed Great Expectations result, told as a located Problem: the file, sheet, Excel
rows and the column as the department writes it, with the rule's text."""

from __future__ import annotations

import math

import pandas as pd

from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.problems import SHOWN, Problem, RuleResult
from orchestration.lib.delivery.rules import ERROR
from orchestration.lib.reading.sheet import ParsedSheet


def _plain(value) -> str:
    """A cell value for a message: 1310 rather than np.int64(1310); pairs as a / b; an empty
    cell as 空 (empty), never None or nan."""
    if isinstance(value, list | tuple):
        return " / ".join(_plain(v) for v in value)
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "空 (empty)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def problem_from_result(parsed: ParsedSheet, result) -> Problem:
    meta = result.expectation_config.meta or {}
    rule = meta["rule"]
    declared = catalogue().get(rule)
    shows = declared.shows if declared else "examples"
    column = meta.get("column")
    header = parsed.header(column) if column else None
    where = {"file": parsed.path.name, "sheet": parsed.sheet, "column": header}
    if result.exception_info and result.exception_info.get("raised_exception"):
        # GX failing to evaluate a rule is never a pass
        return Problem(
            rule,
            f"could not be checked: {result.exception_info.get('exception_message')}",
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
    message = ""  # what the values are; the rule's text is the Problem's
    observed = details.get("observed_value")
    if rule == "G4":
        rows = [parsed.total_row] if parsed.total_row else []
        total = (parsed.total or {}).get(column)
        unit = " 万元" if column in parsed.units else ""
        message = f"合计 {total:,.2f}{unit} but the rows add up to {observed:,.2f}{unit}"
    elif shows == "rows":
        message = f"{observed} rows"
    elif shows == "missing":
        missing = details.get("partial_missing_list") or []
        count = details.get("missing_count") or len(missing) or 1
        message = f"missing {', '.join(_plain(v) for v in missing)}"
    else:
        shown = details.get("partial_unexpected_list") or []
        if shown:
            message = f"e.g. {', '.join(_plain(v) for v in shown[:3])}"
    return Problem(
        rule,
        message,
        severity=declared.severity if declared else ERROR,
        row=rows[0] if rows else None,
        rows=tuple(rows[:SHOWN]),
        count=count,
        **where,
    )


def rule_result(parsed: ParsedSheet, result) -> RuleResult:
    """One expectation of the suite as the validation page lists it, passed or not."""
    meta = result.expectation_config.meta or {}
    column = meta.get("column")
    details = result.result or {}
    failing = 0 if result.success else (details.get("unexpected_count") or 1)
    return RuleResult(
        rule=meta["rule"],
        sheet=parsed.sheet,
        column=parsed.header(column) if column else None,
        passed=bool(result.success),
        failing=failing,
    )
