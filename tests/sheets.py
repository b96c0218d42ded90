"""Writing variants of the sample spreadsheets: the bad (and odd) files real departments send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from orchestration.lib.text import parse_numbers

Grid = list[list[object]]


def read_grid(path: Path, sheet: str | None = None) -> tuple[str, Grid]:
    book = CalamineWorkbook.from_path(str(path))
    name = sheet or book.sheet_names[0]
    return name, [list(row) for row in book.get_sheet_by_name(name).to_python()]


def read_book(path: Path) -> list[tuple[str, Grid]]:
    """Every sheet of a workbook, in order: (name, grid)."""
    book = CalamineWorkbook.from_path(str(path))
    return [
        (name, [list(row) for row in book.get_sheet_by_name(name).to_python()])
        for name in book.sheet_names
    ]


def write_grid(path: Path, sheet: str, grid: Grid) -> Path:
    return write_book(path, [(sheet, grid)])


def write_book(path: Path, sheets: list[tuple[str, Grid]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet, grid in sheets:
        ws = workbook.add_worksheet(sheet)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, value, date_format)
                else:
                    ws.write(r, c, value)
    workbook.close()
    return path


def variant(
    source: Path,
    target: Path,
    edit: Callable[[Grid], None] | None = None,
    sheet: str | None = None,
    part: str | None = None,
) -> Path:
    """Copy a sample file cell by cell into `target`, changed by `edit(grid)` on the way:
    its first sheet, or the sheet `part` of a file of several (renamed to `sheet` if given);
    the other sheets are copied as they are."""
    book = read_book(source)
    edited = part or book[0][0]
    sheets = []
    for name, grid in book:
        if name == edited:
            if edit:
                edit(grid)
            name = sheet or name
        sheets.append((name, grid))
    return write_book(target, sheets)


def find_row(grid: Grid, text: str) -> int:
    """Index of the first row with a cell equal to `text` (stripped)."""
    return next(i for i, row in enumerate(grid) if any(str(v).strip() == text for v in row))


def find_col(grid: Grid, header_starts: str) -> tuple[int, int]:
    """(row, column) of the first header cell starting with `header_starts`."""
    for r, row in enumerate(grid[:10]):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.replace("\n", "").startswith(header_starts):
                return r, c
    raise KeyError(header_starts)


def data_rows(grid: Grid, key_header: str) -> list[int]:
    """Indexes of the data rows: below the header, with a value under `key_header`,
    not the 合计 / 其中 / footer lines."""
    header_row, col = find_col(grid, key_header)
    out = []
    for i in range(header_row + 1, len(grid)):
        value = str(grid[i][col] or "").strip() if col < len(grid[i]) else ""
        first = " ".join(str(v) for v in grid[i][:3] if v not in (None, ""))
        if value and "合计" not in first and not first.startswith(("其中", "填报人")):
            out.append(i)
    return out


def with_openpyxl(path: Path, edit: Callable) -> Path:
    """Re-save a workbook after `edit(workbook)`: openpyxl writes what departments' tools
    write and xlsxwriter does not (formulas with no cached value, error cells, hidden
    sheets, merged ranges)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    edit(workbook)
    workbook.save(path)
    return path


def add_to_part(path: Path, part: str, before: bytes, extra: bytes) -> Path:
    """Insert `extra` into a part of the xlsx package, before the last `before`."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                at = data.rindex(before)
                data = data[:at] + extra + data[at:]
            target.writestr(info.filename, data)
    return path


def number(cell) -> float:
    """A cell's number as psw reads it."""
    values, _ = parse_numbers(pd.Series([cell], dtype=object))
    return float(values.iloc[0])
