"""The rules on DataFrames, without Dagster or a warehouse: each source's Great Expectations
suite passes on the parsed sample month, and a frame broken the way a department breaks its
file fails the rule it breaks, at the Excel row it is in."""

import dataclasses

import pytest
from conftest import RAW

from orchestration.lib.delivery.files import deliveries
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.reading.sheet import read_sheet
from orchestration.lib.validation.suites import validate


def parsed(name: str, month: str = "2025-06"):
    [path] = [d.path for d in deliveries(RAW, name) if d.month == month]
    return read_sheet(path, SOURCES[name])


@pytest.fixture(scope="module")
def gx_dirs(tmp_path_factory):
    home = tmp_path_factory.mktemp("gx")
    return home / "gx", home / "data_docs"


@pytest.mark.parametrize("name", ["projects", "zones", "enterprises"])
def test_the_sample_month_passes_its_suite(name, gx_dirs):
    assert validate(parsed(name), None, *gx_dirs).problems == []


def broken(sheet, row: int, **values):
    """The sheet with the values of its `row`-th data row replaced, and its 合计 following
    them, so that only the broken rule can fail."""
    rows = sheet.rows.copy()
    total = dict(sheet.total or {})
    for column, value in values.items():
        if column in total:
            total[column] += value - rows.at[rows.index[row], column]
        rows.at[rows.index[row], column] = value
    return dataclasses.replace(sheet, rows=rows, total=total or sheet.total)


@pytest.mark.parametrize(
    ("name", "values", "rule", "column"),
    [
        ("projects", {"total_investment_wan_yuan": -5.0}, "P6", "total_investment_wan_yuan"),
        ("projects", {"board": "火星镇"}, "P2", "board"),
        ("enterprises", {"star_rating": "六星"}, "E9", "star_rating"),
        ("enterprises", {"credit_code": "91320412MA1X00000X"}, "E1", "credit_code"),
    ],
)
def test_a_broken_value_fails_its_rule_at_its_row(name, values, rule, column, gx_dirs):
    sheet = parsed(name)
    row = 3
    problems = validate(broken(sheet, row, **values), None, *gx_dirs).problems
    excel_row = int(sheet.rows["excel_row"].iloc[row])
    # a negative total also breaks the rules that compare with it: all point at the row
    assert {p.row for p in problems} == {excel_row}, [str(p) for p in problems]
    [problem] = [p for p in problems if p.rule == rule]
    assert problem.column == sheet.header(column)
    assert problem.file == sheet.path.name


def test_a_total_that_does_not_add_up_fails_g4(gx_dirs):
    sheet = parsed("zones")
    column = "revenue_ytd_wan_yuan"
    total = dict(sheet.total)
    total[column] += 10_000.0  # 1亿元, beyond the rounding the file's unit allows
    problems = validate(dataclasses.replace(sheet, total=total), None, *gx_dirs).problems
    assert [(p.rule, p.row) for p in problems] == [("G4", sheet.total_row)]
    assert "合计" in problems[0].message


def test_a_validation_that_cannot_run_rejects_the_file(gx_dirs, monkeypatch, tmp_path):
    """GX failing (whatever the cause) is a rejection naming the rule GX, never a pass."""
    import duckdb

    from orchestration.lib.loading.month import validate_month
    from orchestration.lib.loading.outcome import REJECTED, LoadOutcome
    from orchestration.lib.validation import suites as validation

    def broken_suite(*args, **kwargs):
        raise RuntimeError("the suite's store is unreadable")

    monkeypatch.setattr(validation, "run_suite", broken_suite)
    sheet = parsed("zones")
    outcome = LoadOutcome("zones", "2025-06", "loaded", sheet.path, sheet.sha256, sheets=[sheet])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        validate_month(outcome, conn, *gx_dirs)
    assert outcome.status == REJECTED
    assert [p.rule for p in outcome.problems] == ["GX"]
    assert "unreadable" in str(outcome.problems[0])
