"""The blocking Great Expectations check on every monthly load."""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import dagster as dg

from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import RawFilesResource
from orchestration.lib.delivery.cadence import DEADLINE_DAY, due_months, overdue_months
from orchestration.lib.delivery.files import deliveries
from orchestration.lib.delivery.problems import first_shown
from orchestration.lib.delivery.sources import SOURCES, Source
from orchestration.lib.loading.outcome import NO_FILE, REJECTED, LoadOutcome

VALIDATION_CHECK = "gx_validation"


def validation_spec(source: Source, key: dg.AssetKey) -> dg.AssetCheckSpec:
    """The check on one raw table; a file of several sheets is one delivery, and each of
    its tables shows the whole file's result."""
    return dg.AssetCheckSpec(
        name=VALIDATION_CHECK,
        asset=key,
        blocking=True,
        description=(
            f"{source.title_zh}的 Great Expectations 校验（通用规则 G1–G10 及本表规则）："
            f"错误则整表拒收，警告放行 / The month's file checked against the {source.name} "
            "suite (the general rules G1–G10 and the source's own): an error rejects the "
            "whole file, a warning lets it load."
        ),
    )


def _problems_table(outcome: LoadOutcome) -> str:
    lines = [
        "| 规则 rule | 说明 / what it asks | 级别 severity | 列 column | Excel 行 rows "
        "| 行数 rows failing | 详情 / detail |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for p in outcome.problems:
        rows = ", ".join(map(str, p.rows)) or (str(p.row) if p.row else "")
        cells = [p.rule, p.rule_text, p.severity, p.column or "", rows, str(p.count), p.message]
        lines.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
    return "\n".join(lines)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~=-])")


def markdown_text(text: str) -> str:
    """A department's text as Markdown shows it, never as markup: a header or a name with
    `[…](…)`, `<img …>`, `*`, a `|` or a line break in it stays the text it is."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def page_link(page: Path | None, pages_dir: Path, base_url: str) -> dict:
    """The validation page: its http address as `make ui` serves it, and the file itself."""
    if page is None:
        return {}
    return {
        "validation_report": dg.MetadataValue.url(
            f"{base_url}/{quote(page.relative_to(pages_dir).as_posix())}"
        ),
        "validation_report_file": dg.MetadataValue.path(str(page)),
    }


def check_result(outcome: LoadOutcome, page: dict, asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    """What the check shows: rule ids, file, sheet, failing Excel rows and column, counts,
    the table of the rules broken, and a link to the validation's page."""
    metadata: dict = {"month": outcome.month, "outcome": outcome.status}
    if outcome.status == NO_FILE:
        return dg.AssetCheckResult(
            asset_key=asset_key,
            check_name=VALIDATION_CHECK,
            passed=True,
            metadata=metadata | {"note": "no file delivered this month"},
        )
    first = (outcome.errors or outcome.warnings or [None])[0]
    metadata |= {
        "file": outcome.file.name,
        "sheet": (first.sheet if first else None) or "、".join(outcome.sheets_read) or None,
        "rules": ", ".join(outcome.rules) or "-",
        "errors": len(outcome.errors),
        "warnings": len(outcome.warnings),
    }
    if first is not None:
        rows = list(first.rows) or ([first.row] if first.row else [])
        metadata |= {
            "rule": first.rule,
            "column": first.column or "-",
            "failing_rows": ", ".join(map(str, first_shown(rows))) or "-",
            "failing_row_count": sum(p.count for p in outcome.problems if p.rule == first.rule),
            "problems": dg.MetadataValue.md(_problems_table(outcome)),
            "problem_list": dg.MetadataValue.json(
                [
                    {
                        "rule": p.rule,
                        "severity": p.severity,
                        "column": p.column,
                        "rows": list(p.rows) or ([p.row] if p.row else []),
                        "count": p.count,
                        "message": p.message,
                    }
                    for p in outcome.problems
                ]
            ),
        }
    metadata |= page
    if outcome.status != REJECTED and not outcome.warnings:
        return dg.AssetCheckResult(
            asset_key=asset_key, check_name=VALIDATION_CHECK, passed=True, metadata=metadata
        )
    # a rejected file fails with ERROR (and blocks); warnings alone show as WARN
    rejected = outcome.status == REJECTED
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=VALIDATION_CHECK,
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR if rejected else dg.AssetCheckSeverity.WARN,
        metadata=metadata,
        description=outcome.summary(),
    )


def build_freshness_check(source: Source) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw_files", source.name]),
        name="file_arrived_on_time",
        description=(
            f"{source.title_zh}应于次月{DEADLINE_DAY}日前报送 / Fails when a month's file has not "
            f"arrived by the {DEADLINE_DAY}th of the following month (none is expected for "
            "January enterprises; the demand survey is half-yearly)."
        ),
    )
    def _freshness(raw_files: RawFilesResource) -> dg.AssetCheckResult:
        timezone = ZoneInfo(monthly_partitions.timezone)
        today = dt.datetime.now(timezone).date()
        since = monthly_partitions.start.strftime("%Y-%m")
        delivered = {d.month for d in deliveries(Path(raw_files.directory), source.name)}
        overdue = overdue_months(source.name, delivered, since, today)
        due = due_months(source.name, since, today)
        return dg.AssetCheckResult(
            passed=not overdue,
            severity=dg.AssetCheckSeverity.ERROR,
            description=(
                f"overdue: {', '.join(overdue)}" if overdue else "every file due has arrived"
            ),
            metadata={
                "checked_on": today.isoformat(),
                "overdue_months": ", ".join(overdue) or "-",
                "overdue_count": len(overdue),
                "latest_due_month": due[-1] if due else "-",
                "latest_delivered_month": max(delivered) if delivered else "-",
            },
        )

    return _freshness


freshness_checks = [build_freshness_check(source) for source in SOURCES.values()]


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(asset_checks=freshness_checks)
