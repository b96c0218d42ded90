"""Reporting months ('YYYY-MM'): their arithmetic, reading them from file names and title
rows, and the clock (UTC) every log records."""

from __future__ import annotations

import datetime as dt
import re

from orchestration.lib.text import half_width

# File names: 重点项目月报_2025-06.xlsx, 集聚区月报_202506.xlsx, 企业月报_2025年6月_更正.xlsx
_FILE_PATTERNS = (
    re.compile(r"(?<!\d)(20\d{2})年(1[0-2]|0?[1-9])月"),
    re.compile(r"(?<!\d)(20\d{2})-(1[0-2]|0[1-9])(?!\d)"),
    re.compile(r"(?<!\d)(20\d{2})(1[0-2]|0[1-9])(?!\d)"),
)
# Titles: （2025年1-6月）, （2025年6月）, （2025年1—2月）, （2025年上半年）
_TITLE_MONTH = re.compile(r"(20\d{2})\s*年\s*(?:1\s*[-~至到]\s*)?(1[0-2]|0?[1-9])\s*月")
_TITLE_HALF = re.compile(r"(20\d{2})\s*年\s*(上半年|下半年|全年)")
_HALF_END = {"上半年": 6, "下半年": 12, "全年": 12}


def _month(year: str | int, month: str | int) -> str:
    return f"{int(year):04d}-{int(month):02d}"


def month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return _month(year + 1, 1) if number == 12 else _month(year, number + 1)


def month_before(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return _month(year - 1, 12) if number == 1 else _month(year, number - 1)


def months_from(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    months = []
    while first <= last:
        months.append(first)
        first = month_after(first)
    return months


def months_in_filename(name: str) -> set[str]:
    """Every reporting month 'YYYY-MM' a file name writes, in whatever form."""
    text = half_width(name)
    found = set()
    for pattern in _FILE_PATTERNS:
        for match in pattern.finditer(text):
            found.add(_month(*match.groups()))
            text = text.replace(match.group(0), " ")  # 2025-06 is not also 202506
    return found


def month_from_filename(name: str) -> str | None:
    """The reporting month 'YYYY-MM' a file name writes; None if it writes none, or two
    (集聚区月报_2025年6月_202507.xlsx cannot be placed)."""
    months = months_in_filename(name)
    return months.pop() if len(months) == 1 else None


def month_from_title(title: str) -> str | None:
    """The last month of the period a title row names ('1-6月' -> June), or None."""
    text = half_width(title)
    match = _TITLE_MONTH.search(text)
    if match:
        return _month(*match.groups())
    match = _TITLE_HALF.search(text)
    if match:
        return _month(match.group(1), _HALF_END[match.group(2)])
    return None


def utc_now() -> dt.datetime:
    """The time now in UTC, without its zone (as DuckDB's `timestamp` columns keep it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
