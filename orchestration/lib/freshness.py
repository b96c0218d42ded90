"""When each source's file is due, and which months are overdue."""

from __future__ import annotations

import datetime as dt

DEADLINE_DAY = 15  # a month's file is due by the 15th of the following month


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def is_expected(source: str, month: str) -> bool:
    """enterprises has no January file (reported in February's 1-2月); the demand survey
    has one wave every half year, reference months 06 and 12."""
    number = int(month[5:])
    if source == "enterprises":
        return number != 1
    if source == "demand_survey":
        return number in (6, 12)
    return True


def deadline(month: str) -> dt.date:
    year, number = map(int, month.split("-"))
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return dt.date(year, number, DEADLINE_DAY)


def due_months(source: str, since: str, today: dt.date) -> list[str]:
    """Months from `since` whose file is expected and whose deadline has passed by `today`."""
    last = f"{today.year:04d}-{today.month:02d}"
    return [m for m in _months(since, last) if is_expected(source, m) and deadline(m) < today]


def overdue_months(source: str, delivered: set[str], since: str, today: dt.date) -> list[str]:
    return [m for m in due_months(source, since, today) if m not in delivered]
