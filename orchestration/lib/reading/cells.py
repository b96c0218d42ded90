"""Cells into values, and what a cell may not be: each column converted by its kind (text,
code, month, date, money in the file's unit, whole numbers), and the cells and rows that would
pass as values though nobody has seen them (Excel errors, formulas never calculated, figures
merged over rows, hidden rows and columns, rows below the footer, two 合计 rows)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from orchestration.lib.delivery.problems import Problem, first_shown
from orchestration.lib.delivery.sources import Column
from orchestration.lib.reading.grid import is_nan
from orchestration.lib.reading.header import Mapped
from orchestration.lib.reading.package import SheetScan, cell_address, column_letter
from orchestration.lib.text import (
    clean_text,
    clean_texts,
    comparables_of_clean,
    parse_codes,
    parse_numbers,
)

_MONTH_CELL = re.compile(r"^(20\d{2})\s*[-./年]\s*(1[0-2]|0?[1-9])\s*月?$")
_DATE_CELL = re.compile(
    r"^(20\d{2})\s*(?:-\s*(\d{1,2})\s*-\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)$"
)


_YYYYMM = re.compile(r"^(20\d{2})(0[1-9]|1[0-2])$")


def _parse_month_cell(value: object) -> str | None | bool:
    """'2024-03', '2024.3', '2024年3月', 202403, a date -> 'YYYY-MM'; None if empty; False if
    bad. A month typed as a decimal number (2025.10 is stored as 2025.1) is bad: the number
    cannot tell October from January."""
    if value is None:
        return None
    if isinstance(value, dt.date | pd.Timestamp):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        match = _YYYYMM.match(str(int(value))) if float(value).is_integer() else None
        return f"{match.group(1)}-{match.group(2)}" if match else False
    text = clean_text(value)
    if text is None:
        return None
    match = _MONTH_CELL.match(text)
    if not match:
        return False
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _parse_date_cell(value: object) -> str | None | bool:
    """A date cell, or text 'YYYY-MM-DD' / 'YYYY年M月D日' -> 'YYYY-MM-DD'; None if empty; False
    if bad (a number is bad: an Excel serial typed as a number is not a date anyone sees)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        if (value.hour, value.minute, value.second) != (0, 0, 0):
            return False
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value) if isinstance(value, str) else None
    if text is None:
        return False if not isinstance(value, str) else None
    match = _DATE_CELL.match(text)
    if not match:
        return False
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return False


def convert(column: Column, cells: pd.Series, factor: float) -> tuple[pd.Series, pd.Series]:
    """Cells of one column -> typed values and a mask of the cells that are not valid.

    An empty figure (or a dash) is what the contract says it is: zero, or not applicable."""
    if column.kind in ("text", "code"):
        values = cells.to_numpy(dtype=object)
        if column.kind == "text":
            parsed, one_by_one = clean_texts(values)
        else:
            parsed, one_by_one = parse_codes(values, column.width)
        # A long code typed as a number (a credit code) kept only Excel's 15 digits. (Every
        # cell that is not text went one by one.)
        lost = np.zeros(len(values), dtype=bool)
        lost[one_by_one] = [
            isinstance(v, float | int | np.floating | np.integer) and abs(v) >= 1e15
            for v in values[one_by_one]
        ]
        parsed = pd.Series(parsed, index=cells.index, dtype=object)
        if column.identifier:
            parsed = comparables_of_clean(parsed)
        return parsed, pd.Series(lost, index=cells.index)
    if column.kind in ("month", "date"):
        parsed = cells.map(_parse_month_cell if column.kind == "month" else _parse_date_cell)
        bad = parsed.map(lambda v: v is False)
        return parsed.where(~bad, None).astype(object), bad
    numbers, bad = parse_numbers(cells)
    if column.blank_means == "zero":
        numbers = numbers.where(bad | numbers.notna(), 0.0)
    if column.kind == "money":
        return (numbers * factor).round(6), bad
    if column.kind == "int":
        not_whole = numbers.notna() & (numbers != numbers.round())
        return numbers.where(~not_whole).astype("Int64"), bad | not_whole
    return numbers, bad


def type_problem(column: Column, cell: object) -> str:
    # a cell reads as NaN only when it holds one (<v>NaN</v>): say so, not 'None' or 'nan'
    shown = clean_text(cell) if not is_nan(cell) else None
    shown = shown if shown is not None else "NaN, not a number"
    if column.kind in ("text", "code"):
        return (
            f"'{shown}' is a code stored as a number, of which Excel keeps only 15 digits: "
            "store it as text"
        )
    if column.kind == "month":
        if isinstance(cell, int | float | np.integer | np.floating):
            return (
                f"'{shown}' is a month typed as a number, which cannot tell 2025-10 from "
                "2025-01: type it as text (YYYY-MM) or as a date"
            )
        return f"'{shown}' is not a valid month (YYYY-MM)"
    if column.kind == "date":
        return f"'{shown}' is not a date (a date cell, YYYY-MM-DD or YYYY年M月D日)"
    if column.kind == "int":
        return f"'{shown}' is not a whole number of a plausible size"
    return f"'{shown}' is not a number of a plausible size"


def fill_merged_text(
    body: np.ndarray, first_row: int, merged: list, mapped: dict[str, Mapped]
) -> None:
    """Merged cells below the header read as Excel shows them: a name or code merged over
    several rows (所属板块 for three projects) fills each of them. Figures are left to
    `cell_problems`: a number merged over rows belongs to none of them."""
    text_columns = {m.index for m in mapped.values() if not m.spec.is_number}
    for (r0, c0), (r1, c1) in merged:
        if r1 < first_row or (r0 == r1 and c0 == c1):
            continue
        value = body[r0 - first_row, c0] if r0 >= first_row else None
        for r in range(max(r0, first_row), r1 + 1):
            for c in range(c0, c1 + 1):
                if c in text_columns and r - first_row < len(body):
                    body[r - first_row, c] = value


def layout_problems(
    scan: SheetScan,
    kinds: list[str],
    first_row: int,
    mapped: dict[str, Mapped],
    body: np.ndarray,
    problem,
) -> list[Problem]:
    """What people do not see or would not read as the table: hidden rows and columns that
    psw would read, rows below the footer (a second table, an old version), and two 合计 rows
    that disagree."""
    found = []
    data = [first_row + i for i, kind in enumerate(kinds) if kind in ("data", "total")]
    hidden = sorted(r for r in data if r in scan.hidden_rows)
    if hidden:
        shown = ", ".join(str(r + 1) for r in first_shown(hidden))
        found.append(
            problem(
                "G1",
                f"row(s) {shown} are hidden: psw reads what people see; unhide or delete them",
                hidden[0] + 1,
            )
        )
    for m in mapped.values():
        if m.index in scan.hidden_columns:
            found.append(
                problem(
                    "G1",
                    f"column {column_letter(m.index)} is hidden: psw reads what people see; "
                    "unhide or delete it",
                    first_row,
                    m.header,
                )
            )
    footer = next((i for i, kind in enumerate(kinds) if kind == "footer"), None)
    below = [first_row + i + 1 for i, kind in enumerate(kinds) if kind in ("data", "total")]
    below = [r for r in below if footer is not None and r > first_row + footer + 1]
    if below:
        found.append(
            problem(
                "G1",
                f"row(s) {', '.join(map(str, first_shown(below)))} stand below the footer (row "
                f"{first_row + footer + 1}): psw reads one table a sheet; delete them or move "
                "them into the table",
                below[0],
            )
        )
    totals = [i for i, kind in enumerate(kinds) if kind == "total"]
    figures = [m.index for m in mapped.values() if m.spec.is_number]
    if len(totals) > 1:
        first, *others = [
            tuple(parse_numbers(pd.Series(body[i, figures], dtype=object))[0].fillna(0))
            for i in totals
        ]
        if any(o != first for o in others):
            found.append(
                problem(
                    "G4",
                    f"the sheet has {len(totals)} 合计 rows that disagree (rows "
                    f"{', '.join(str(first_row + i + 1) for i in totals)}): keep one",
                    first_row + totals[1] + 1,
                )
            )
    return found


def cell_problems(
    scan: SheetScan,
    merged: list,
    first_row: int,
    data_rows: list[int],
    total_rows: list[int],
    mapped: dict[str, Mapped],
    problem,
) -> list[Problem]:
    """Cells that would pass as empty but hold no value anyone has seen: Excel error values,
    formulas whose value was never calculated, figures merged over several data rows (a
    合计 label merged across its row is layout, not a figure)."""
    columns = {m.index: m for m in mapped.values()}
    data = {first_row + i for i in data_rows}
    rows = data | {first_row + i for i in total_rows}
    found = []
    for (r, c), error in sorted(scan.error_cells.items()):
        if r in rows and c in columns:
            found.append(
                problem(
                    "CELL",
                    f"cell {cell_address(r, c)} holds the Excel error {error}: correct the "
                    "formula or type the value",
                    r + 1,
                    columns[c].header,
                )
            )
    for (r, c), formula in sorted(scan.uncalculated.items()):
        if r in rows and c in columns:
            found.append(
                problem(
                    "CELL",
                    f"cell {cell_address(r, c)} holds the formula ={formula} with no calculated "
                    "value (the file was written by a program, not saved by Excel): open and "
                    "save it in Excel, or type the value",
                    r + 1,
                    columns[c].header,
                )
            )
    for (r0, c0), (r1, c1) in merged:
        if not any(r in data for r in range(r0, r1 + 1)):
            continue
        spans_rows = r1 > r0
        figures = [
            columns[c] for c in range(c0, c1 + 1) if c in columns and columns[c].spec.is_number
        ]
        if figures and (spans_rows or len(figures) > 1):
            found.append(
                problem(
                    "CELL",
                    f"cells {cell_address(r0, c0)}:{cell_address(r1, c1)} are merged: a figure "
                    "cannot belong to several rows or columns; unmerge them and give each its "
                    "value",
                    r0 + 1,
                    figures[0].header,
                )
            )
    return found
