import pandas as pd
import pytest

from orchestration.lib import credit_code, periods
from orchestration.lib.text import clean_text, header_key, parse_code, parse_numbers, split_unit


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1234.5, 1234.5),
        (7, 7.0),
        ("12,345.6", 12345.6),
        ("１２３４５", 12345.0),
        ("  88 ", 88.0),
        ("-12.5", -12.5),
        ("1，000", 1000.0),
    ],
)
def test_numbers_stored_as_text_are_read(cell, expected):
    values, bad = parse_numbers(pd.Series([cell], dtype=object))
    assert values.iloc[0] == expected
    assert not bad.iloc[0]


@pytest.mark.parametrize("cell", [None, "", "—", "-", "－", "  "])
def test_dashes_and_blanks_are_empty_not_errors(cell):
    values, bad = parse_numbers(pd.Series([cell], dtype=object))
    assert pd.isna(values.iloc[0])
    assert not bad.iloc[0]


@pytest.mark.parametrize(
    "cell",
    [
        "约100",
        "n/a",
        "12.3.4",
        True,
        "NaN",
        "inf",
        "-Infinity",
        1e20,
        "1E+20",
        "1.234,5",
        "12,34",
        "1_000",
        "15%",
        "NULL",
    ],
)
def test_text_in_a_number_cell_is_flagged(cell):
    _, bad = parse_numbers(pd.Series([cell], dtype=object))
    assert bad.iloc[0]


def test_headers_match_whatever_the_spacing_and_parentheses():
    assert header_key("总投资\n（万元）") == header_key("总投资 (万元)") == "总投资(万元)"
    assert split_unit("总投资(万元)") == ("总投资", "万元")
    assert split_unit("项目名称") == ("项目名称", None)
    assert header_key("其中：规上企业数（家）") == "其中:规上企业数(家)"


def test_text_and_codes_are_normalised():
    assert clean_text("  常州　科教城 ") == "常州 科教城"
    assert clean_text(float("nan")) is None
    assert parse_code(701.0, 4) == "0701"
    assert parse_code("７", 2) == "07"
    assert parse_code(None, 2) is None


@pytest.mark.parametrize("code", ["91110000600037341L", "91110108551385082Q"])
def test_public_credit_codes_are_valid(code):
    assert credit_code.is_valid(code)


@pytest.mark.parametrize(
    "code",
    ["91110000600037341A", "9111000060003734", "91110000600037341I", None, "91110000600O37341L"],
)
def test_bad_credit_codes_are_invalid(code):
    assert not credit_code.is_valid(code)


def test_check_character_completes_a_code():
    assert credit_code.check_character("91110108551385082") == "Q"


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("重点项目月报_2025-06.xlsx", "2025-06"),
        ("规上生产性服务业企业月报_202502.xlsx", "2025-02"),
        ("集聚区月报_2025年6月.xlsx", "2025-06"),
        ("集聚区月报_2025年11月_更正.xlsx", "2025-11"),
        ("重点项目月报.xlsx", None),
        ("重点项目月报_2025-13.xlsx", None),
    ],
)
def test_month_from_file_name(name, month):
    assert periods.month_from_filename(name) == month


@pytest.mark.parametrize(
    ("title", "month"),
    [
        ("武进区生产性服务业重点项目进展情况表（2025年1-6月）", "2025-06"),
        ("武进区生产性服务业重点项目进展情况表（2025年1月）", "2025-01"),
        ("企业主要经济指标（２０２５年１—２月）", "2025-02"),
        ("需求调查表（2025年上半年）", "2025-06"),
        ("需求调查表（2025年下半年）", "2025-12"),
        ("没有期间的标题", None),
    ],
)
def test_month_from_title(title, month):
    assert periods.month_from_title(title) == month
