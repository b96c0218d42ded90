"""Finding a sheet's header by the names the contract gives its columns (a two-row header
with its groups, a header merged down, units in the header or the unit line above it) and
mapping each source column to where it stands."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from orchestration.lib.delivery.sources import (
    MONEY_FACTORS_TO_WAN,
    Column,
    Source,
    demand_header,
    spend_header,
    survey_services,
)
from orchestration.lib.periods import month_from_title
from orchestration.lib.reading.grid import is_empty
from orchestration.lib.text import clean_text, header_key, split_unit

HEADER_SEARCH_ROWS = 20
_UNIT_LINE = re.compile(r"单位[:：]\s*(?P<units>[^\s]+)")


def header_targets(source: Source) -> dict[str, tuple[str, Column, object]]:
    """Header key (no unit) -> (column name, column spec, service) for every header we know."""
    targets: dict[str, tuple[str, Column, object]] = {}
    for column in source.columns:
        targets[header_key(column.header)] = (column.name, column, None)
    if source.service_columns:
        demand = source.column("demand_level")
        spend = source.column("spend_wan_yuan")
        for service in survey_services():
            targets[header_key(demand_header(service))] = (
                f"{service.code}:demand_level",
                demand,
                service,
            )
            targets[header_key(spend_header(service))] = (
                f"{service.code}:spend_wan_yuan",
                spend,
                service,
            )
    return targets


def required_keys(source: Source) -> dict[str, str]:
    """Header key -> header as the contract writes it, for the headers G2 requires."""
    required = {header_key(c.header): c.display_header for c in source.columns if c.required}
    for service in survey_services() if source.service_columns else ():
        required[header_key(demand_header(service))] = demand_header(service)
        required[header_key(spend_header(service))] = f"{spend_header(service)}（万元）"
    return required


def find_header(values: np.ndarray, targets: dict) -> int:
    """The header row (0-based): the one naming most known headers, a header merged down from
    the row above counting for it; -1 if none does."""
    best_row, best_hits = -1, 0
    for r in range(min(HEADER_SEARCH_ROWS, len(values))):
        hits, group = 0, ""
        for c in range(values.shape[1]):
            key = header_key(values[r, c])
            above = header_key(values[r - 1, c]) if r > 0 else ""
            if not key:
                key, group = above, ""
            elif above:
                group = split_unit(above)[0]  # a group label stands over the columns to its right
            base = split_unit(key)[0]
            hits += base in targets or (bool(group) and group + base in targets)
        if hits > best_hits:
            best_row, best_hits = r, hits
    return best_row


def _is_group_row(values: np.ndarray, row: int) -> bool:
    """Whether a row above the header holds group headers (投资完成情况（亿元）, 上年同期),
    rather than the title or the unit line."""
    texts = [t for cell in values[row] if (t := clean_text(cell))]
    return bool(texts) and not any(
        _UNIT_LINE.search(t) or "填报" in t or month_from_title(t) for t in texts
    )


def _group_headers(values: np.ndarray, header_row: int, merged: list) -> list[object]:
    """The group header above each column of a two-row header (None where there is none):
    the merged range above that spans it, or the label above it or to its left."""
    width = values.shape[1]
    groups: list[object] = [None] * width
    above = header_row - 1
    if above < 0 or not _is_group_row(values, above):
        return groups
    current = None  # a group label stands over the sub-headers to its right until a header
    for c in range(width):  # merged down over both rows ends it (merged or centred across)
        if is_empty(values[header_row, c]):
            current = None
            continue
        if not is_empty(values[above, c]):
            current = values[above, c]
        groups[c] = current
    for (r0, c0), (r1, c1) in merged:
        if r0 <= above <= r1 and c1 > c0:
            for c in range(c0, min(c1, width - 1) + 1):
                if not is_empty(values[header_row, c]):
                    groups[c] = values[r0, c0]
    return groups


# Units a header may name. A unit the contract does not use for a column is never ignored:
# money is converted to 万元, anything else is rejected.
UNIT_WORDS = frozenset(MONEY_FACTORS_TO_WAN) | {
    "亩",
    "公顷",
    "平方米",
    "万平方米",
    "平方公里",
    "家",
    "个",
    "户",
    "人",
    "万人",
    "%",
}


def sheet_units(values: np.ndarray, header_row: int) -> list[str]:
    """The money units named by the unit line above the header (单位：万元、亩), if any."""
    for r in range(header_row):
        for cell in values[r]:
            match = _UNIT_LINE.search(clean_text(cell) or "")
            if match:
                named = re.split(r"[、,，/]", match.group("units"))
                return [u for u in MONEY_FACTORS_TO_WAN if u in named]
    return []


def _as_written(value: object) -> str | None:
    """A header as the department wrote it (line breaks folded), to quote back in problems."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


@dataclass
class Mapped:
    """A source column found in the sheet."""

    index: int  # 0-based sheet column
    spec: Column
    header: str  # as written
    unit: str | None  # named by its header or its group header


def map_columns(
    values: np.ndarray, header_row: int, merged: list, targets: dict
) -> tuple[dict[str, Mapped], list[tuple[str, list[int]]]]:
    """Each source column -> where it is; and the columns named more than once.

    A sub-header under a group (上年同期 / 1-本月营业收入) is matched with its group first; a
    header that still names one column twice is ambiguous, never resolved by position."""
    groups = _group_headers(values, header_row, merged)
    claims: dict[str, list[Mapped]] = {}
    for c in range(values.shape[1]):
        cell = values[header_row, c]
        if is_empty(cell) and header_row > 0:
            cell = values[header_row - 1, c]  # a header merged down over both rows
        base, unit = split_unit(header_key(cell))
        if not base:
            continue
        group_base, group_unit = split_unit(header_key(groups[c])) if groups[c] else ("", None)
        shown = _as_written(cell) or base
        if group_base and group_base + base in targets:
            target = group_base + base
            shown = f"{_as_written(groups[c])} {shown}"
        elif base in targets:
            target = base
        else:
            continue  # unknown columns (备注, …) are ignored
        col_name, spec, _service = targets[target]
        claims.setdefault(col_name, []).append(Mapped(c, spec, shown, unit or group_unit))
    mapped = {name: found[0] for name, found in claims.items()}
    twice = [
        (found[0].header, [m.index for m in found]) for found in claims.values() if len(found) > 1
    ]
    return mapped, twice
