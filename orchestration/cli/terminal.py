"""Laying text out for a terminal that shows Chinese: a wide character takes two columns."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def cell(text: str, columns: int, right: bool = False) -> str:
    pad = " " * max(columns - width(text), 0)
    return pad + text if right else text + pad


def shown(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:,.{decimals}f}"
