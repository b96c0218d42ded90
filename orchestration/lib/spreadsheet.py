"""Reading one department's spreadsheet into a clean table.

The sheets are laid out for printing: a merged title with the period, a unit line, one or two
header rows, a 合计 row at the top or the bottom, 其中 sub-totals, blank rows and footer lines.
The reader finds the header by its names, keeps the 合计 row aside for rule G4, converts money
to 万元 and reports every problem with the file, sheet, Excel row and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.lib.periods import month_from_filename, month_from_title
from orchestration.lib.problems import Problem, first_shown, listed
from orchestration.lib.raw_files import file_sha256
from orchestration.lib.sources import (
    MONEY_FACTORS_TO_WAN,
    Column,
    Source,
    demand_header,
    spend_header,
    survey_services,
)
from orchestration.lib.text import (
    changed_by_cleaning,
    clean_text,
    clean_texts,
    comparables_of_clean,
    header_key,
    parse_codes,
    parse_numbers,
    split_unit,
)
from orchestration.lib.workbook import (
    Package,
    SheetPart,
    SheetScan,
    WorkbookError,
    cell_address,
    column_letter,
)

HEADER_SEARCH_ROWS = 20
TOTAL_LABELS = frozenset({"合计", "总计", "全区合计"})
FOOTER_PREFIXES = ("填报人", "联系电话", "填报日期", "制表", "审核", "负责人", "注:", "说明")
_UNIT_LINE = re.compile(r"单位[:：]\s*(?P<units>[^\s]+)")
_MONTH_CELL = re.compile(r"^(20\d{2})\s*[-./年]\s*(1[0-2]|0?[1-9])\s*月?$")
_DATE_CELL = re.compile(
    r"^(20\d{2})\s*(?:-\s*(\d{1,2})\s*-\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)$"
)


class SpreadsheetError(Exception):
    """A file that cannot be read into the warehouse; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n{listed(problems, '  ')}")

    @property
    def rules(self) -> list[str]:
        return sorted({p.rule for p in self.problems})


@dataclass
class ParsedSheet:
    source: Source
    path: Path
    sha256: str
    sheet: str
    title: str
    month: str
    header_row: int  # Excel row number of the (lower) header row
    rows: pd.DataFrame  # the source's columns plus excel_row, one row per sheet row
    total: dict[str, float] | None  # the 合计 row's figures, by column name
    total_row: int | None  # its Excel row number
    headers: dict[str, str] = field(default_factory=dict)  # column name -> header as written
    units: dict[str, str] = field(default_factory=dict)  # money column -> unit in the file
    letters: dict[str, str] = field(default_factory=dict)  # column name -> Excel column letter

    def cell_columns(self) -> list[dict]:
        """Where each column stands in the sheet and how its cells become warehouse values:
        with the rows' excel_row, every raw value has a cell address."""
        return [
            {
                "sheet": self.sheet,
                "column_name": name,
                "header": self.headers.get(name),
                "excel_column": letter,
                "unit": self.units.get(name),
                "to_raw_factor": MONEY_FACTORS_TO_WAN.get(self.units.get(name), 1.0),
            }
            for name, letter in self.letters.items()
        ]

    def header(self, column: str) -> str:
        """A column's header as the file writes it (or as the contract does)."""
        if column in self.headers:
            return self.headers[column]
        spec = next((c for c in self.source.all_columns if c.name == column), None)
        return spec.display_header if spec else column

    def warehouse_rows(self) -> pd.DataFrame:
        """The rows as the warehouse keeps them: the survey one row per service."""
        return _melt_services(self.rows, self.source) if self.source.service_columns else self.rows


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


def _open_grid(path: Path, source: Source) -> tuple[str, np.ndarray, list, SheetScan]:
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


def _header_targets(source: Source) -> dict[str, tuple[str, Column, object]]:
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


def _required_keys(source: Source) -> dict[str, str]:
    """Header key -> header as the contract writes it, for the headers G2 requires."""
    required = {header_key(c.header): c.display_header for c in source.columns if c.required}
    for service in survey_services() if source.service_columns else ():
        required[header_key(demand_header(service))] = demand_header(service)
        required[header_key(spend_header(service))] = f"{spend_header(service)}（万元）"
    return required


def _find_header(values: np.ndarray, targets: dict) -> int:
    """The header row (0-based): the one naming most known headers, a header merged down from
    the row above counting for it; -1 if none does."""
    best_row, best_hits = -1, 0
    for r in range(min(HEADER_SEARCH_ROWS, len(values))):
        keys = []
        for c in range(values.shape[1]):
            key = header_key(values[r, c])
            if not key and r > 0:
                key = header_key(values[r - 1, c])
            keys.append(key)
        hits = sum(split_unit(k)[0] in targets for k in keys)
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
        if _is_empty(values[header_row, c]):
            current = None
            continue
        if not _is_empty(values[above, c]):
            current = values[above, c]
        groups[c] = current
    for (r0, c0), (r1, c1) in merged:
        if r0 <= above <= r1 and c1 > c0:
            for c in range(c0, min(c1, width - 1) + 1):
                if not _is_empty(values[header_row, c]):
                    groups[c] = values[r0, c0]
    return groups


# Units a header may name. A unit the contract does not use for a column is never ignored:
# money is converted to 万元, anything else is rejected.
_UNIT_WORDS = frozenset(MONEY_FACTORS_TO_WAN) | {
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


def _sheet_units(values: np.ndarray, header_row: int) -> list[str]:
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


# Every label a row is classified by (合计, 其中, 填报人, 注:, …) starts with one of these
# characters: a cell holding none of them cannot be a label, and is not normalised.
_LABEL_STARTS = frozenset("合总全填联制审负注说其")


@cache
def _label_or_cleaned_start() -> frozenset[str]:
    """What a cell that may start with a label once cleaned starts with: a label's first
    character, or one that cleaning removes or changes (a space, an invisible character)."""
    return _LABEL_STARTS | {" "} | {chr(p) for p in np.flatnonzero(changed_by_cleaning())}


def _is_nan(cell: object) -> bool:
    return isinstance(cell, float) and math.isnan(cell)


def _is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and _is_blank_text(cell))


def _is_blank_text(text: str) -> bool:
    return not text.strip() or (not text.isprintable() and clean_text(text) is None)


def _label_key(cell: object) -> str:
    if isinstance(cell, str) and not _LABEL_STARTS.isdisjoint(cell):
        return header_key(cell)
    return ""


def _row_kinds(body: np.ndarray) -> list[str]:
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
        empty = np.fromiter(map(_is_empty, cells), dtype=bool, count=len(cells))
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
    """The kind of a row that holds a value (`_row_kinds` finds the blank ones)."""
    leading = [_label_key(cell) for cell in cells[:4] if not _is_empty(cell)]
    if any(t in TOTAL_LABELS for t in leading):
        return "total"
    if leading and leading[0].startswith(FOOTER_PREFIXES):
        return "footer"
    if any(t.startswith("其中") for t in leading):
        return "subtotal"
    return "data"


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


def _convert(column: Column, cells: pd.Series, factor: float) -> tuple[pd.Series, pd.Series]:
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


def _type_problem(column: Column, cell: object) -> str:
    # a cell reads as NaN only when it holds one (<v>NaN</v>): say so, not 'None' or 'nan'
    shown = clean_text(cell) if not _is_nan(cell) else None
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


@dataclass
class _Mapped:
    """A source column found in the sheet."""

    index: int  # 0-based sheet column
    spec: Column
    header: str  # as written
    unit: str | None  # named by its header or its group header


def _map_columns(
    values: np.ndarray, header_row: int, merged: list, targets: dict
) -> tuple[dict[str, _Mapped], list[tuple[str, list[int]]]]:
    """Each source column -> where it is; and the columns named more than once.

    A sub-header under a group (上年同期 / 1-本月营业收入) is matched with its group first; a
    header that still names one column twice is ambiguous, never resolved by position."""
    groups = _group_headers(values, header_row, merged)
    claims: dict[str, list[_Mapped]] = {}
    for c in range(values.shape[1]):
        cell = values[header_row, c]
        if _is_empty(cell) and header_row > 0:
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
        claims.setdefault(col_name, []).append(_Mapped(c, spec, shown, unit or group_unit))
    mapped = {name: found[0] for name, found in claims.items()}
    twice = [
        (found[0].header, [m.index for m in found]) for found in claims.values() if len(found) > 1
    ]
    return mapped, twice


def read_file(path: Path | str, source: Source) -> list[ParsedSheet]:
    """Read every sheet of a delivered file; raise SpreadsheetError naming every problem of
    every sheet (the file is one delivery: a problem on any sheet rejects it all)."""
    parsed, problems = [], []
    for sheet in source.sheets:
        try:
            parsed.append(read_sheet(path, sheet))
        except SpreadsheetError as error:
            problems += error.problems
    if problems:
        raise SpreadsheetError(problems)
    return parsed


def read_sheet(path: Path | str, source: Source) -> ParsedSheet:
    """Read one delivered file of a source; raise SpreadsheetError naming every problem.

    Whatever goes wrong while reading is a rejection of this file, never an error that
    ends the run: one unreadable file is one rejection."""
    path = Path(path)
    try:
        return _read_sheet(path, source)
    except SpreadsheetError:
        raise
    except Exception as exc:  # MemoryError and whatever a hostile file provokes
        raise SpreadsheetError(
            [Problem("G1", f"could not be read: {type(exc).__name__}: {exc}", path.name)]
        ) from exc


def _read_sheet(path: Path, source: Source) -> ParsedSheet:
    name = path.name
    sheet, values, merged, scan = _open_grid(path, source)

    def problem(rule: str, message: str, row: int | None = None, column: str | None = None):
        return Problem(rule, message, name, sheet, row, column)

    if values.size == 0:
        raise SpreadsheetError([problem("G1", "the sheet is empty")])

    targets = _header_targets(source)
    header_row = _find_header(values, targets)
    if header_row < 0:
        raise SpreadsheetError(
            [problem("G2", f"no header row found: {'、'.join(_required_keys(source).values())}")]
        )
    mapped, twice = _map_columns(values, header_row, merged, targets)
    missing = [
        shown for key, shown in _required_keys(source).items() if targets[key][0] not in mapped
    ]
    problems: list[Problem] = [
        problem(
            "G2",
            f"the header appears in {len(columns)} columns "
            f"({', '.join(column_letter(c) for c in columns)}): psw cannot tell which holds "
            "the figure; name the group above each (本年 / 上年同期) or delete the extra one",
            header_row + 1,
            shown,
        )
        for shown, columns in twice
    ]
    if missing:
        problems.append(
            problem(
                "G2",
                f"required column(s) not found (header row {header_row + 1}): {'、'.join(missing)}",
                row=header_row + 1,
            )
        )
    if problems:
        raise SpreadsheetError(problems)

    title = next((clean_text(v) for v in values[:header_row].ravel() if clean_text(v)), "")
    month_in_name = month_from_filename(name)
    month_in_title = month_from_title(title)
    if month_in_name is None:
        raise SpreadsheetError(
            [
                problem(
                    "G3",
                    "the file name does not say the month "
                    "(…_YYYY-MM.xlsx, …_YYYYMM.xlsx or …_YYYY年M月.xlsx)",
                )
            ]
        )
    if month_in_title != month_in_name:
        said = f"names {month_in_title}" if month_in_title else "names no period"
        raise SpreadsheetError(
            [
                problem(
                    "G3",
                    f"the title '{title}' {said} but the file name says {month_in_name}",
                    row=1,
                )
            ]
        )

    sheet_units = _sheet_units(values, header_row)
    units: dict[str, str] = {}
    for col_name, m in mapped.items():
        spec = m.spec
        if spec.kind == "money":
            unit = m.unit or (sheet_units[0] if len(sheet_units) == 1 else None)
            if unit is None and len(sheet_units) > 1:
                problems.append(
                    problem(
                        "G2",
                        f"the unit line names {'、'.join(sheet_units)} and the header names "
                        "no unit: write the unit in the header",
                        header_row + 1,
                        m.header,
                    )
                )
            unit = unit or spec.unit
            if unit not in MONEY_FACTORS_TO_WAN:
                problems.append(
                    problem("G2", f"unknown money unit '{unit}'", header_row + 1, m.header)
                )
            units[col_name] = unit
        elif m.unit in _UNIT_WORDS and m.unit != spec.unit:
            problems.append(
                problem(
                    "G2",
                    f"the header gives the unit {m.unit} where the contract has "
                    f"{spec.unit or 'none'}: report in {spec.unit or 'the contract unit'}",
                    header_row + 1,
                    m.header,
                )
            )
    headers = {col_name: m.header for col_name, m in mapped.items()}
    if problems:
        raise SpreadsheetError(problems)

    body = values[header_row + 1 :]
    _fill_merged_text(body, header_row + 1, merged, mapped)
    kinds = _row_kinds(body)
    data_idx = [i for i, k in enumerate(kinds) if k == "data"]
    total_idx = [i for i, k in enumerate(kinds) if k == "total"]
    excel_rows = pd.Series([header_row + 2 + i for i in data_idx], dtype="int64")
    problems += _cell_problems(scan, merged, header_row + 1, data_idx, total_idx, mapped, problem)
    problems += _layout_problems(scan, kinds, header_row + 1, mapped, body, problem)

    out = {}
    for col_name, m in mapped.items():
        cells = pd.Series(body[data_idx, m.index] if data_idx else [], dtype=object)
        parsed, bad = _convert(m.spec, cells, MONEY_FACTORS_TO_WAN.get(units.get(col_name), 1.0))
        out[col_name] = parsed
        for i in np.flatnonzero(bad.to_numpy()):
            row = int(excel_rows.iloc[i])
            problems.append(
                problem(
                    "TYPE",
                    f"cell {column_letter(m.index)}{row}: {_type_problem(m.spec, cells.iloc[i])}",
                    row,
                    m.header,
                )
            )
    total = None
    total_row = None
    if total_idx:
        i = total_idx[0]
        total_row = header_row + 2 + i
        total = {}
        for col_name, m in mapped.items():
            if m.spec.is_number:
                cell = body[i, m.index]
                numbers, bad = parse_numbers(pd.Series([cell], dtype=object))
                if bad.iloc[0] and _label_key(cell) not in TOTAL_LABELS:  # the label's cell
                    problems.append(
                        problem(
                            "TYPE",
                            f"cell {column_letter(m.index)}{total_row} (合计): "
                            f"{_type_problem(m.spec, cell)}",
                            total_row,
                            m.header,
                        )
                    )
                factor = MONEY_FACTORS_TO_WAN.get(units.get(col_name), 1.0)
                value = numbers.iloc[0] * (factor if m.spec.kind == "money" else 1.0)
                total[col_name] = None if np.isnan(value) else round(float(value), 6)
    if problems:
        raise SpreadsheetError(problems)

    frame = pd.DataFrame(out)
    frame["excel_row"] = excel_rows
    return ParsedSheet(
        source=source,
        path=path,
        sha256=file_sha256(path),
        sheet=sheet,
        title=title,
        month=month_in_name,
        header_row=header_row + 1,
        rows=frame,
        total=total,
        total_row=total_row,
        headers=headers,
        units=units,
        letters={col_name: column_letter(m.index) for col_name, m in mapped.items()},
    )


def _fill_merged_text(
    body: np.ndarray, first_row: int, merged: list, mapped: dict[str, _Mapped]
) -> None:
    """Merged cells below the header read as Excel shows them: a name or code merged over
    several rows (所属板块 for three projects) fills each of them. Figures are left to
    `_cell_problems`: a number merged over rows belongs to none of them."""
    text_columns = {m.index for m in mapped.values() if not m.spec.is_number}
    for (r0, c0), (r1, c1) in merged:
        if r1 < first_row or (r0 == r1 and c0 == c1):
            continue
        value = body[r0 - first_row, c0] if r0 >= first_row else None
        for r in range(max(r0, first_row), r1 + 1):
            for c in range(c0, c1 + 1):
                if c in text_columns and r - first_row < len(body):
                    body[r - first_row, c] = value


def _layout_problems(
    scan: SheetScan,
    kinds: list[str],
    first_row: int,
    mapped: dict[str, _Mapped],
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


def _cell_problems(
    scan: SheetScan,
    merged: list,
    first_row: int,
    data_rows: list[int],
    total_rows: list[int],
    mapped: dict[str, _Mapped],
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


def _melt_services(frame: pd.DataFrame, source: Source) -> pd.DataFrame:
    """The survey's two columns per service -> one row per respondent and service."""
    base_cols = [c.name for c in source.columns if c.name in frame.columns] + ["excel_row"]
    parts = []
    for service in survey_services():
        part = frame[base_cols].copy()
        part["service_code"] = service.code
        part["service_name"] = service.name
        part["demand_level"] = frame[f"{service.code}:demand_level"]
        part["spend_wan_yuan"] = frame[f"{service.code}:spend_wan_yuan"]
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    return long.sort_values(["excel_row", "service_code"], kind="stable").reset_index(drop=True)
