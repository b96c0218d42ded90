"""When each source's file is due, and which months are overdue."""

from __future__ import annotations

import datetime as dt

from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.periods import month_after, months_from

DEADLINE_DAY = 15  # a month's file is due by the 15th of the following month


def is_expected(source: str, month: str) -> bool:
    """Whether the source's file is due for the month, by its declared cadence."""
    return SOURCES[source].expects(month)


def deadline(month: str) -> dt.date:
    following = month_after(month)
    return dt.date(int(following[:4]), int(following[5:]), DEADLINE_DAY)


def due_months(source: str, since: str, today: dt.date) -> list[str]:
    """Months from `since` whose file is expected and whose deadline has passed by `today`."""
    last = f"{today.year:04d}-{today.month:02d}"
    return [m for m in months_from(since, last) if is_expected(source, m) and deadline(m) < today]


def overdue_months(source: str, delivered: set[str], since: str, today: dt.date) -> list[str]:
    return [m for m in due_months(source, since, today) if m not in delivered]
