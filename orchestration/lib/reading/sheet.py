"""Reading one department's spreadsheet into a clean table.

The sheets are laid out for printing: a merged title with the period, a unit line, one or two
header rows, a 合计 row at the top or the bottom, 其中 sub-totals, blank rows and footer lines.
The reader finds the header by its names, keeps the 合计 row aside for rule G4, converts money
to 万元 and reports every problem with the file, sheet, Excel row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.lib.delivery.files import file_sha256
from orchestration.lib.delivery.problems import Problem
from orchestration.lib.delivery.sources import MONEY_FACTORS_TO_WAN, Source, survey_services
from orchestration.lib.periods import month_from_filename, month_from_title
from orchestration.lib.reading.cells import (
    cell_problems,
    convert,
    fill_merged_text,
    layout_problems,
    type_problem,
)
from orchestration.lib.reading.grid import (
    TOTAL_LABELS,
    SpreadsheetError,
    label_key,
    open_grid,
    row_kinds,
)
from orchestration.lib.reading.header import (
    UNIT_WORDS,
    find_header,
    header_targets,
    map_columns,
    required_keys,
    sheet_units,
)
from orchestration.lib.reading.package import column_letter
from orchestration.lib.text import clean_text, parse_numbers

__all__ = ["ParsedSheet", "SpreadsheetError", "read_file", "read_sheet"]


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
    sheet, values, merged, scan = open_grid(path, source)

    def problem(rule: str, message: str, row: int | None = None, column: str | None = None):
        return Problem(rule, message, name, sheet, row, column)

    if values.size == 0:
        raise SpreadsheetError([problem("G1", "the sheet is empty")])

    targets = header_targets(source)
    header_row = find_header(values, targets)
    if header_row < 0:
        raise SpreadsheetError(
            [problem("G2", f"no header row found: {'、'.join(required_keys(source).values())}")]
        )
    mapped, twice = map_columns(values, header_row, merged, targets)
    missing = [
        shown for key, shown in required_keys(source).items() if targets[key][0] not in mapped
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

    named_units = sheet_units(values, header_row)
    units: dict[str, str] = {}
    for col_name, m in mapped.items():
        spec = m.spec
        if spec.kind == "money":
            unit = m.unit or (named_units[0] if len(named_units) == 1 else None)
            if unit is None and len(named_units) > 1:
                problems.append(
                    problem(
                        "G2",
                        f"the unit line names {'、'.join(named_units)} and the header names "
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
        elif m.unit in UNIT_WORDS and m.unit != spec.unit:
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
    fill_merged_text(body, header_row + 1, merged, mapped)
    kinds = row_kinds(body)
    data_idx = [i for i, k in enumerate(kinds) if k == "data"]
    total_idx = [i for i, k in enumerate(kinds) if k == "total"]
    excel_rows = pd.Series([header_row + 2 + i for i in data_idx], dtype="int64")
    problems += cell_problems(scan, merged, header_row + 1, data_idx, total_idx, mapped, problem)
    problems += layout_problems(scan, kinds, header_row + 1, mapped, body, problem)

    out = {}
    for col_name, m in mapped.items():
        cells = pd.Series(body[data_idx, m.index] if data_idx else [], dtype=object)
        parsed, bad = convert(m.spec, cells, MONEY_FACTORS_TO_WAN.get(units.get(col_name), 1.0))
        out[col_name] = parsed
        for i in np.flatnonzero(bad.to_numpy()):
            row = int(excel_rows.iloc[i])
            problems.append(
                problem(
                    "TYPE",
                    f"cell {column_letter(m.index)}{row}: {type_problem(m.spec, cells.iloc[i])}",
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
                if bad.iloc[0] and label_key(cell) not in TOTAL_LABELS:  # the label's cell
                    problems.append(
                        problem(
                            "TYPE",
                            f"cell {column_letter(m.index)}{total_row} (合计): "
                            f"{type_problem(m.spec, cell)}",
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
    for column in source.columns:  # an optional column the file does not have: empty
        if column.name not in frame.columns:
            frame[column.name] = pd.Series(
                np.nan if column.is_number else None,
                index=frame.index,
                dtype="float64" if column.is_number else object,
            )
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
