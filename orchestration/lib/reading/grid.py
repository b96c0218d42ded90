"""A delivered sheet as a grid of cells: the one sheet of the source chosen (never a hidden one,
never one of two), opened once the package is known safe (package.py), and each row's kind
(data, 合计, 其中, footer, blank)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.lib.delivery.problems import Problem, listed
from orchestration.lib.delivery.sources import Source
from orchestration.lib.reading.package import Package, SheetPart, SheetScan, WorkbookError
from orchestration.lib.text import changed_by_cleaning, clean_text, header_key

TOTAL_LABELS = frozenset({"合计", "总计", "全区合计"})
FOOTER_PREFIXES = ("填报人", "联系电话", "填报日期", "制表", "审核", "负责人", "注:", "说明")


class SpreadsheetError(Exception):
    """A file that cannot be read into the warehouse; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n{listed(problems, '  ')}")

    @property
    def rules(self) -> list[str]:
        return sorted({p.rule for p in self.problems})


def _choose_sheet(parts: list[SheetPart], source: Source, name: str) -> SheetPart:
    """The one visible sheet that is the source's: exactly its name, or its name followed by
    a copy mark ('集聚区(2)', '集聚区修订'). Two such sheets are an error naming both; a hidden
    one is never read (what is hidden is not what the department sees)."""
    wanted = header_key(source.sheet)
    candidates = [p for p in parts if header_key(p.name).startswith(wanted)]
    visible = [p for p in candidates if p.state == "visible"]
    if len(visible) == 1:
        return visible[0]
    if len(visible) > 1:
        listed = "', '".join(p.name for p in visible)
        raise SpreadsheetError(
            [
                Problem(
                    "G1",
                    f"has {len(visible)} sheets that may be '{source.sheet}': '{listed}'; "
                    "keep one (delete or rename the others) and re-deliver",
                    name,
                )
            ]
        )
    if candidates:
        hidden = "', '".join(p.name for p in candidates)
        raise SpreadsheetError(
            [
                Problem(
                    "G1",
                    f"the sheet '{hidden}' is hidden: unhide it (or delete it) so that what psw "
                    "reads is what people see, and re-deliver",
                    name,
                    candidates[0].name,
                )
            ]
        )
    shown = ", ".join(p.name for p in parts if p.state == "visible") or "none"
    raise SpreadsheetError(
        [Problem("G1", f"has no sheet '{source.sheet}' (sheets found: {shown})", name)]
    )


def open_grid(path: Path, source: Source) -> tuple[str, np.ndarray, list, SheetScan]:
    """The source's sheet as a grid of cells, its merged ranges and what the package scan
    found (error cells, formulas never calculated), once the file is known safe to read."""
    name = path.name
    if path.suffix.lower() != ".xlsx":
        kind = {".xls": "an old .xls workbook", ".xlsm": "a macro-enabled .xlsm workbook"}.get(
            path.suffix.lower(), f"a '{path.suffix}' file"
        )
        raise SpreadsheetError(
            [Problem("G1", f"is {kind}; save it as .xlsx (Excel workbook) and re-deliver", name)]
        )
    part = None
    try:
        with Package(path) as package:
            part = _choose_sheet(package.sheets(), source, name)
            scan = package.scan(part)
    except WorkbookError as exc:
        raise SpreadsheetError(
            [Problem("G1", str(exc), name, part.name if part else None)]
        ) from None
    merged, rows = _calamine_cells(path, part.name)
    width = max((len(row) for row in rows), default=0)
    if all(len(row) == width for row in rows):  # calamine's rows are of one width
        values = np.array(rows, dtype=object).reshape(len(rows), width)
    else:
        values = np.empty((len(rows), width), dtype=object)
        for i, row in enumerate(rows):
            values[i, : len(row)] = row
    # Empty cells come back as ""; None is easier to test for everywhere below. A cell is
    # read as it is written ("NaN", "NULL" or "#N/A" stay text): the rules decide what it means.
    values[values == ""] = None
    return part.name, values, merged, scan


def _calamine_cells(path: Path, sheet: str) -> tuple[list, list]:
    """The sheet's merged ranges and its rows of cells, as python-calamine reads them."""
    try:
        # pandas' reader of python-calamine, for its errors and its file handling; the cells
        # are taken from the sheet as calamine reads them (pandas' read_excel would convert
        # each one in Python and load the sheet a second time for its merged ranges).
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # calamine raises several types for corrupt or encrypted files
        raise SpreadsheetError(
            [
                Problem(
                    "G1",
                    f"cannot be opened as an .xlsx workbook (corrupt, or password-"
                    f"protected?): {exc}",
                    path.name,
                )
            ]
        ) from None
    with book:
        calamine_sheet = book.book.get_sheet_by_name(sheet)
        return (
            calamine_sheet.merged_cell_ranges or [],
            calamine_sheet.to_python(skip_empty_area=False),
        )


# Every label a row is classified by (合计, 其中, 填报人, 注:, …) starts with one of these
# characters: a cell holding none of them cannot be a label, and is not normalised.
_LABEL_STARTS = frozenset("合总全填联制审负注说其")


@cache
def _label_or_cleaned_start() -> frozenset[str]:
    """What a cell that may start with a label once cleaned starts with: a label's first
    character, or one that cleaning removes or changes (a space, an invisible character)."""
    return _LABEL_STARTS | {" "} | {chr(p) for p in np.flatnonzero(changed_by_cleaning())}


def is_nan(cell: object) -> bool:
    return isinstance(cell, float) and math.isnan(cell)


def is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and _is_blank_text(cell))


def _is_blank_text(text: str) -> bool:
    return not text.strip() or (not text.isprintable() and clean_text(text) is None)


def label_key(cell: object) -> str:
    if isinstance(cell, str) and not _LABEL_STARTS.isdisjoint(cell):
        return header_key(cell)
    return ""


def row_kinds(body: np.ndarray) -> list[str]:
    """Each row's kind: blank, total, footer, subtotal or data. Worked out column by column
    (a sheet may have 100,000 rows): a row is looked at cell by cell only if one of its
    leading cells may start with a label (合计, 其中, 填报人: after cleaning, its first
    character is a label's, or it starts with what cleaning removes)."""
    kinds = np.full(len(body), "data", dtype=object)
    undecided = np.arange(len(body))  # rows not yet known to hold a value
    for column in body.T:
        if not len(undecided):
            break
        cells = column[undecided]
        empty = np.fromiter(map(is_empty, cells), dtype=bool, count=len(cells))
        undecided = undecided[empty]
    kinds[undecided] = "blank"
    may_be_label = np.zeros(len(body), dtype=bool)
    starts = _label_or_cleaned_start()
    for column in body[:, :4].T:
        may_be_label |= np.fromiter(
            (type(v) is str and v[:1] in starts for v in column),
            dtype=bool,
            count=len(column),
        )
    for i in np.flatnonzero(may_be_label & (kinds == "data")):
        kinds[i] = _row_kind(body[i])
    return kinds.tolist()


def _row_kind(cells: np.ndarray) -> str:
    """The kind of a row that holds a value (`row_kinds` finds the blank ones)."""
    leading = [label_key(cell) for cell in cells[:4] if not is_empty(cell)]
    if any(t in TOTAL_LABELS for t in leading):
        return "total"
    if leading and leading[0].startswith(FOOTER_PREFIXES):
        return "footer"
    if any(t.startswith("其中") for t in leading):
        return "subtotal"
    return "data"
