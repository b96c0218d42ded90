"""Reading one department's spreadsheet into a clean table.

The sheets are laid out for printing: a merged title with the period, a unit line, one or two
header rows, a 合计 row at the top or the bottom, 其中 sub-totals, blank rows and footer lines.
The reader finds the header by its names, keeps the 合计 row aside for rule G4, converts money
to 万元 and reports every problem with the file, sheet, Excel row and column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.lib.periods import month_from_filename, month_from_title
from orchestration.lib.sources import (
    MONEY_FACTORS_TO_WAN,
    Column,
    Source,
    demand_header,
    spend_header,
    survey_services,
)
from orchestration.lib.text import (
    clean_text,
    header_key,
    parse_code,
    parse_numbers,
    split_unit,
)

HEADER_SEARCH_ROWS = 20
TOTAL_LABELS = frozenset({"合计", "总计", "全区合计"})
FOOTER_PREFIXES = ("填报人", "联系电话", "填报日期", "制表", "审核", "负责人", "注:", "说明")
_UNIT_LINE = re.compile(r"单位[:：]\s*(?P<units>[^\s]+)")
_MONTH_CELL = re.compile(r"^(20\d{2})\s*[-./年]\s*(1[0-2]|0?[1-9])\s*月?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located so that the department can fix it."""

    rule: str
    message: str
    file: str
    sheet: str | None = None
    row: int | None = None  # the (first) Excel row
    column: str | None = None  # the header as the file writes it
    severity: str = "error"  # error rejects the file; warning lets it load
    rows: tuple[int, ...] = ()  # the first Excel rows that break the rule (at most 20)
    count: int = 1  # how many rows break it

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if len(self.rows) > 1:
            more = f" (+{self.count - len(self.rows)} more)" if self.count > len(self.rows) else ""
            where.append(f"rows {', '.join(map(str, self.rows))}{more}")
        elif self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        level = "" if self.severity == "error" else f" {self.severity}"
        return f"[{self.rule}{level}] {', '.join(where)}: {self.message}"


class SpreadsheetError(Exception):
    """A file that cannot be read into the warehouse; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s):\n{shown}{more}")

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

    def header(self, column: str) -> str:
        """A column's header as the file writes it (or as the contract does)."""
        if column in self.headers:
            return self.headers[column]
        spec = next((c for c in self.source.all_columns if c.name == column), None)
        return spec.display_header if spec else column

    def warehouse_rows(self) -> pd.DataFrame:
        """The rows as the warehouse keeps them: the survey one row per service."""
        return _melt_services(self.rows, self.source) if self.source.service_columns else self.rows


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _open_grid(path: Path, source: Source) -> tuple[str, np.ndarray]:
    name = path.name
    if path.suffix.lower() != ".xlsx":
        kind = {".xls": "an old .xls workbook", ".xlsm": "a macro-enabled .xlsm workbook"}.get(
            path.suffix.lower(), f"a '{path.suffix}' file"
        )
        raise SpreadsheetError(
            [Problem("G1", f"is {kind}; save it as .xlsx (Excel workbook) and re-deliver", name)]
        )
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # calamine raises several types for corrupt or encrypted files
        raise SpreadsheetError(
            [
                Problem(
                    "G1",
                    f"cannot be opened as an .xlsx workbook (corrupt, or password-"
                    f"protected?): {exc}",
                    name,
                )
            ]
        ) from None
    with book:
        wanted = header_key(source.sheet)
        sheet = next((s for s in book.sheet_names if header_key(s) == wanted), None)
        if sheet is None:
            raise SpreadsheetError(
                [
                    Problem(
                        "G1",
                        f"has no sheet '{source.sheet}' (sheets found: "
                        f"{', '.join(book.sheet_names)})",
                        name,
                    )
                ]
            )
        grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    values = grid.to_numpy(dtype=object)
    # Empty cells come back as NaN; None is easier to test for everywhere below.
    values[pd.isna(values)] = None
    return sheet, values


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


def _find_header(values: np.ndarray, targets: dict) -> tuple[int, list[str]]:
    """The header row (0-based) and each column's header, merging a group row above it."""
    best_row, best_hits, best_keys = -1, 0, []
    for r in range(min(HEADER_SEARCH_ROWS, len(values))):
        keys = []
        for c in range(values.shape[1]):
            key = header_key(values[r, c])
            if not key and r > 0:
                key = header_key(values[r - 1, c])
            keys.append(key)
        hits = sum(split_unit(k)[0] in targets for k in keys)
        if hits > best_hits:
            best_row, best_hits, best_keys = r, hits, keys
    return best_row, best_keys


def _sheet_unit(values: np.ndarray, header_row: int) -> str | None:
    """The one money unit named by the unit line above the header (单位：万元), if any."""
    for r in range(header_row):
        for cell in values[r]:
            match = _UNIT_LINE.search(clean_text(cell) or "")
            if match:
                money = [
                    u
                    for u in MONEY_FACTORS_TO_WAN
                    if u in re.split(r"[、,，/]", match.group("units"))
                ]
                if len(money) == 1:
                    return money[0]
    return None


def _as_written(value: object) -> str | None:
    """A header as the department wrote it (line breaks folded), to quote back in problems."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


# Every label a row is classified by (合计, 其中, 填报人, 注:, …) starts with one of these
# characters: a cell holding none of them cannot be a label, and is not normalised.
_LABEL_STARTS = frozenset("合总全填联制审负注说其")


def _is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _label_key(cell: object) -> str:
    if isinstance(cell, str) and not _LABEL_STARTS.isdisjoint(cell):
        return header_key(cell)
    return ""


def _row_kind(cells: np.ndarray) -> str:
    if all(_is_empty(cell) for cell in cells):
        return "blank"
    leading = [_label_key(cell) for cell in cells[:4] if not _is_empty(cell)]
    if any(t in TOTAL_LABELS for t in leading):
        return "total"
    if leading and leading[0].startswith(FOOTER_PREFIXES):
        return "footer"
    if any(t.startswith("其中") for t in leading):
        return "subtotal"
    return "data"


def _parse_month_cell(value: object) -> str | None | bool:
    """'2024-03', '2024.3', '2024年3月', a date -> 'YYYY-MM'; None if empty; False if bad."""
    if value is None:
        return None
    if isinstance(value, dt.date | pd.Timestamp):
        return f"{value.year:04d}-{value.month:02d}"
    text = clean_text(value)
    if text is None:
        return None
    match = _MONTH_CELL.match(text)
    if not match:
        return False
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _convert(column: Column, cells: pd.Series, factor: float) -> tuple[pd.Series, pd.Series]:
    """Cells of one column -> typed values and a mask of the cells that are not valid."""
    if column.kind == "text":
        return cells.map(clean_text).astype(object), pd.Series(False, index=cells.index)
    if column.kind == "code":
        return (
            cells.map(lambda v: parse_code(v, column.width)).astype(object),
            pd.Series(False, index=cells.index),
        )
    if column.kind == "month":
        parsed = cells.map(_parse_month_cell)
        bad = parsed.map(lambda v: v is False)
        return parsed.where(~bad, None).astype(object), bad
    numbers, bad = parse_numbers(cells)
    if column.kind == "money":
        return (numbers * factor).round(6), bad
    if column.kind == "int":
        not_whole = numbers.notna() & (numbers != numbers.round())
        return numbers.where(~not_whole).astype("Int64"), bad | not_whole
    return numbers, bad


def read_sheet(path: Path | str, source: Source) -> ParsedSheet:
    """Read one delivered file of a source; raise SpreadsheetError naming every problem."""
    path = Path(path)
    name = path.name
    sheet, values = _open_grid(path, source)

    def problem(rule: str, message: str, row: int | None = None, column: str | None = None):
        return Problem(rule, message, name, sheet, row, column)

    if values.size == 0:
        raise SpreadsheetError([problem("G1", "the sheet is empty")])

    targets = _header_targets(source)
    header_row, keys = _find_header(values, targets)
    required = _required_keys(source)
    found = {split_unit(k)[0] for k in keys} if header_row >= 0 else set()
    missing = [shown for key, shown in required.items() if key not in found]
    if missing:
        where = f"header row {header_row + 1}" if header_row >= 0 else "no header row found"
        raise SpreadsheetError(
            [
                problem(
                    "G2",
                    f"required column(s) not found ({where}): {'、'.join(missing)}",
                    row=header_row + 1 if header_row >= 0 else None,
                )
            ]
        )

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

    sheet_unit = _sheet_unit(values, header_row)
    columns: dict[str, tuple[int, Column, object]] = {}
    headers: dict[str, str] = {}
    units: dict[str, str] = {}
    problems: list[Problem] = []
    for c, key in enumerate(keys):
        base, unit = split_unit(key)
        if base not in targets or targets[base][0] in columns:
            continue  # unknown columns (备注, …) are ignored; a repeated header keeps the first
        col_name, spec, service = targets[base]
        columns[col_name] = (c, spec, service)
        headers[col_name] = (
            _as_written(values[header_row, c]) or _as_written(values[header_row - 1, c]) or key
        )
        if spec.kind == "money":
            unit = unit if unit in MONEY_FACTORS_TO_WAN else sheet_unit or spec.unit
            if unit not in MONEY_FACTORS_TO_WAN:
                problems.append(
                    problem("G2", f"unknown money unit '{unit}'", header_row + 1, headers[col_name])
                )
            units[col_name] = unit

    body = values[header_row + 1 :]
    kinds = [_row_kind(cells) for cells in body]
    data_idx = [i for i, k in enumerate(kinds) if k == "data"]
    total_idx = [i for i, k in enumerate(kinds) if k == "total"]
    excel_rows = pd.Series([header_row + 2 + i for i in data_idx], dtype="int64")

    out = {}
    for col_name, (c, spec, _service) in columns.items():
        cells = pd.Series(body[data_idx, c] if data_idx else [], dtype=object)
        parsed, bad = _convert(spec, cells, MONEY_FACTORS_TO_WAN.get(units.get(col_name), 1.0))
        out[col_name] = parsed
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(
                problem(
                    "TYPE",
                    f"'{clean_text(cells.iloc[i])}' is not a valid "
                    f"{'month (YYYY-MM)' if spec.kind == 'month' else 'number'}",
                    int(excel_rows.iloc[i]),
                    headers[col_name],
                )
            )
    if problems:
        raise SpreadsheetError(problems)

    frame = pd.DataFrame(out)
    frame["excel_row"] = excel_rows
    total = None
    total_row = None
    if total_idx:
        i = total_idx[0]
        total_row = header_row + 2 + i
        total = {}
        for col_name, (c, spec, _service) in columns.items():
            if spec.kind in ("money", "number", "int"):
                numbers, _bad = parse_numbers(pd.Series([body[i, c]], dtype=object))
                factor = MONEY_FACTORS_TO_WAN.get(units.get(col_name), 1.0)
                value = numbers.iloc[0] * (factor if spec.kind == "money" else 1.0)
                total[col_name] = None if np.isnan(value) else round(float(value), 6)

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
    )


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
