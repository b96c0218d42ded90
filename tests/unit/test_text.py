import random

import numpy as np
import pandas as pd
import pytest

from orchestration.lib import periods
from orchestration.lib.reading import credit_code
from orchestration.lib.text import (
    clean_text,
    clean_texts,
    header_key,
    normalised_text,
    parse_code,
    parse_codes,
    parse_numbers,
    split_unit,
)

# Characters the cleaning treats apart (full-width forms, dashes, invisible marks, every kind
# of whitespace) among ordinary ones: random texts drawn from them.
TRICKY = (
    "ab 1.-,，０９ＡＺ（）　—–－\u00ad\u200b\u200e\u202a\u2060\ufeff\t\n\r\x0b\x0c\x1c\x85\xa0"
    "\u2002\u2028\u202f\u205f合计企业万元"
)


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


def test_the_shortcut_for_clean_text_changes_nothing():
    """clean_text keeps text that needs no cleaning as it is: on any text, the same result as
    the full normalisation."""
    rng = random.Random(20251)
    texts = ["".join(rng.choices(TRICKY, k=rng.randint(0, 8))) for _ in range(20_000)]
    differ = [t for t in texts if clean_text(t) != normalised_text(t)]
    assert differ == []
    assert sum(clean_text(t) is None for t in texts) > 100  # blanks were among them


def test_a_column_is_cleaned_as_each_cell_is():
    """clean_texts and parse_codes (a column at once) give each cell what clean_text and
    parse_code give it alone: random texts of the tricky characters, characters beyond the
    BMP and lone surrogates, numbers, booleans, NaN and empty cells, in one column."""
    rng = random.Random(20261202)
    odd = [None, 1.0, 701.0, 12.5, 1e16, 3, True, float("nan"), "", "\U0001f600", "\ud800"]
    cells = np.array(
        [
            rng.choice(odd)
            if rng.random() < 0.2
            else "".join(rng.choices(TRICKY + "0123456789", k=rng.randint(0, 6)))
            for _ in range(30_000)
        ],
        dtype=object,
    )
    cleaned, one_by_one = clean_texts(cells)
    assert [clean_text(v) for v in cells] == cleaned.tolist()
    assert len(one_by_one) < len(cells)  # the clean texts were taken whole
    for width in (2, 4):
        assert [parse_code(v, width) for v in cells] == parse_codes(cells, width)[0].tolist()
    texts_and_nan = np.array(["企业A", float("nan"), None, " B"], dtype=object)  # no other type
    assert clean_texts(texts_and_nan)[0].tolist() == ["企业A", None, None, "B"]
    only_text = np.array(
        ["企业A", "  企业B", "企业\u200bC", "ＡＢ", "企业  D", "E ", "F"], dtype=object
    )
    assert clean_texts(only_text)[0].tolist() == [
        "企业A",
        "企业B",
        "企业C",
        "AB",
        "企业 D",
        "E",
        "F",
    ]
    assert parse_codes(np.array(["701", "0701", 701.0, None], dtype=object), 4)[0].tolist() == [
        "0701",
        "0701",
        "0701",
        None,
    ]


def test_numbers_read_whole_and_one_by_one_agree():
    """parse_numbers takes Excel's floats as one array and other cells one by one: mixed in
    one column, each cell gets what it gets alone."""
    cells = [
        1.5,
        None,
        "2,000",
        3,
        np.float64(4.25),
        float("nan"),
        float("inf"),
        1e13,
        True,
        "—",
        "x",
        -0.0,
        "１２",
        7.0,
    ]
    values, bad = parse_numbers(pd.Series(cells, dtype=object))
    for i, cell in enumerate(cells):
        alone, alone_bad = parse_numbers(pd.Series([cell], dtype=object))
        assert bool(bad.iloc[i]) == bool(alone_bad.iloc[0]), cell
        assert (pd.isna(values.iloc[i]) and pd.isna(alone.iloc[0])) or values.iloc[i] == alone.iloc[
            0
        ]
    assert bad.tolist() == [
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
        True,
        False,
        True,
        False,
        False,
        False,
    ]


def test_a_column_of_credit_codes_is_checked_as_each_code_is():
    rng = random.Random(7)
    alphabet = credit_code.ALPHABET
    good = [
        (first := "".join(rng.choice(alphabet) for _ in range(17)))
        + credit_code.check_character(first)
        for _ in range(300)
    ]
    bad = [c[:17] + rng.choice(alphabet.replace(c[17], "")) for c in good[:100]]
    odd = [None, float("nan"), 91110000600037341, "", "91110000600037341l", "９1110000600037341L"]
    odd += ["91110000600037341I", "9111000060003734", "911100006000373411L", "91110000600037341L"]
    values = pd.Series(good + bad + odd, index=[5] * 10 + list(range(len(good + bad + odd) - 10)))
    assert credit_code.valid(values).tolist() == [credit_code.is_valid(v) for v in values]
    assert credit_code.valid(values).sum() == 301
    assert credit_code.valid(pd.Series([], dtype=object)).tolist() == []


def test_keys_are_compared_as_one_however_they_are_typed():
    """comparable (a cell) and comparables (a column at once) agree, and re-typed keys are
    one key: case, full width, spaces and invisible marks aside."""
    from orchestration.lib.text import comparable, comparables

    typed = [
        "WJSC-2025-001",
        "wjsc-2025-001",
        "ＷＪＳＣ－２０２５－００１",
        " WJSC - 2025 - 001 ",
        "\ufeffWJSC-2025-001\u200b",
        "WJSC-2025-001\u00a0",
    ]
    cells = pd.Series([*typed, None, float("nan"), "", " ", 12, "91320412mA1234567X"], dtype=object)
    column = comparables(cells)
    assert column.tolist() == [comparable(value) for value in cells]
    assert set(column[: len(typed)]) == {"WJSC-2025-001"}
    assert column[len(typed) :].tolist() == [None, None, None, None, "12", "91320412MA1234567X"]
