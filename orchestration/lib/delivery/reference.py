"""The reference code lists (dbt seeds, from the contract's reference/), for validation."""

from __future__ import annotations

import csv
from functools import cache

from orchestration.lib.settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    with open(SEEDS_DIR / f"ref_{name}.csv", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def names_and_codes(name: str, code: str, *names: str) -> frozenset[str]:
    """Every way a department may write a member of a list: its code or one of its names."""
    return frozenset(row[c] for row in table(name) for c in (code, *names) if row[c])


def rows_by(name: str, *key_columns: str) -> dict[str, dict[str, str]]:
    """Each code or name written in any of key_columns -> its row of the list."""
    return {row[k]: row for row in table(name) for k in key_columns if row[k]}


def section_of_division(division: str | None) -> str | None:
    """The GB/T 4754 section (门类) a 2-digit division belongs to."""
    if not division:
        return None
    for row in table("gbt4754_sections"):
        if row["division_from"] <= division <= row["division_to"]:
            return row["section_code"]
    return None
