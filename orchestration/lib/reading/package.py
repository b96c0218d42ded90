"""What an .xlsx package holds beyond its cell values, checked before a cell is read.

python-calamine reads the values Excel cached; it reads an error cell (`#REF!`, `#N/A`) and a
formula that was never calculated as an empty cell, and it allocates the whole rectangle up
to the farthest cell it finds (a stray value in XFD1048576 asks for hundreds of gigabytes).
So before calamine sees a file, this module reads the package itself: the sheets with their
visibility, the uncompressed sizes against limits (a shared-strings bomb is small on disk),
the sheet's real extent, the text its cells expand to (a shared string repeated in 300,000
cells is small in every part), and every error cell and formula without a cached value.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

# Limits well above the largest real delivery (100,000 enterprises: ~1.5M cells, ~60 MB of
# sheet XML), and far below what would exhaust the machine.
MAX_PART_BYTES = 512 * 1024 * 1024  # one uncompressed part (a sheet, the shared strings)
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # the whole package, uncompressed
MAX_RATIO = 200  # uncompressed / compressed of a part above 1 MB (real XML: 5-30)
MAX_ROWS = 500_000
MAX_COLUMNS = 500
MAX_CELLS = 20_000_000  # rows x columns of the rectangle calamine allocates
# The text a sheet's cells expand to when read: each cell that points at a shared string
# becomes a copy of it. The largest real delivery comes to ~25 MB; 300,000 cells pointing at
# one 32,767-character string (a 1.5 MB file) come to ~28 GB.
MAX_TEXT_BYTES = 256 * 1024 * 1024

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# a row tag's number, and a hidden row tag's: one regular expression over the whole sheet each,
# not a Python loop over its tags
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_HIDDEN_ROW_NUMBER = re.compile(rb'<row\b(?=[^>]*\bhidden="(?:1|true)")[^>]*?\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_COL_TAG = re.compile(rb"<col\b([^>]*)/?>")
_COL_SPAN = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"')
# Cells in columns AA.. and rows 100000..: rare in a real sheet, so searching for them is
# cheap, and they are the only ones that can push the extent past the limits. The pattern
# starts with its literal, so the search skips ahead (`\sr="` would be tried at every byte);
# the whitespace before it is checked on the few matches (_far_cells).
_FAR_CELL = re.compile(rb'r="([A-Z]{2,}\d+|[A-Z]+\d{6,})"')
_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="([^"]+)"')
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_CELL_START = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>')
_SHARED_CELL = b't="s"'
_SHARED_INDEX = re.compile(rb'<c\b[^>]*?\bt="s"[^>]*>\s*<v>\s*(\d+)\s*</v>')
_SHARED_ITEM = re.compile(rb"<si\b")


class WorkbookError(Exception):
    """A package that cannot be read safely; the message is for the department."""


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str  # e.g. xl/worksheets/sheet1.xml
    state: str  # visible | hidden | veryHidden


@dataclass
class SheetScan:
    rows: int  # the extent calamine will read: 1-based last row and column
    columns: int
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row0, col0)
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)  # -> the formula
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_columns: set[int] = field(default_factory=set)  # 0-based


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_address(row0: int, col0: int) -> str:
    return f"{column_letter(col0)}{row0 + 1}"


def _position(ref: str) -> tuple[int, int]:
    """'AB12' -> (11, 27)."""
    match = _CELL_REF.match(ref)
    if not match:
        raise WorkbookError(f"a cell reference '{ref}' that is not A1-style")
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    return int(match.group(2)) - 1, column - 1


def _size_problem(info: zipfile.ZipInfo) -> str | None:
    if info.file_size > MAX_PART_BYTES:
        return f"its part {info.filename} unpacks to {info.file_size / 2**20:,.0f} MB"
    if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return (
            f"its part {info.filename} unpacks {info.file_size // max(info.compress_size, 1):,}"
            " times its size (a zip bomb?)"
        )
    return None


class Package:
    """An .xlsx file opened as the zip package it is."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(
                f"cannot be opened as an .xlsx workbook (corrupt, or password-protected?): {exc}"
            ) from None
        infos = self.zip.infolist()
        total = sum(i.file_size for i in infos)
        problems = [p for i in infos if (p := _size_problem(i))]
        if total > MAX_TOTAL_BYTES:
            problems.append(f"it unpacks to {total / 2**20:,.0f} MB")
        if problems:
            self.close()
            raise WorkbookError(
                "is too large to read safely: "
                + "; ".join(problems)
                + f" (psw reads parts up to {MAX_PART_BYTES // 2**20} MB)"
            )

    def close(self) -> None:
        self.zip.close()

    @cached_property
    def _shared_string_bytes(self) -> np.ndarray:
        """The size of each shared string (its <si> element, in bytes of XML: at least its
        text's), in the order cells number them."""
        parts = [p for kind, p in self._relationships.values() if kind.endswith("/sharedStrings")]
        if not parts:
            return np.zeros(0, dtype=np.int64)
        part = parts[0]
        try:
            xml = self.zip.read(part)
        except KeyError:
            return np.zeros(0, dtype=np.int64)
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(f"has a damaged {part}: {exc}") from None
        starts = np.fromiter((m.start() for m in _SHARED_ITEM.finditer(xml)), dtype=np.int64)
        return np.diff(np.append(starts, xml.rfind(b"</sst>") if b"</sst>" in xml else len(xml)))

    def _text_bytes(self, data: bytes) -> tuple[int, int]:
        """The sheet's shared-string cells and (at most) what they expand to, bounded cheaply
        first: the number of such cells times the longest string, and only past the bound
        cell by cell."""
        sizes = self._shared_string_bytes
        cells = data.count(_SHARED_CELL)
        if not cells or not len(sizes) or cells * int(sizes.max()) <= MAX_TEXT_BYTES:
            return cells, cells * (int(sizes.max()) if len(sizes) else 0)
        indexes = np.array(_SHARED_INDEX.findall(data), dtype=np.int64)
        return cells, int(sizes[indexes[indexes < len(sizes)]].sum())

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _xml(self, part: str) -> ElementTree.Element:
        try:
            return ElementTree.fromstring(self.zip.read(part))
        except KeyError:
            raise WorkbookError(f"has no {part}: not an Excel workbook") from None
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(f"has a damaged {part}: {exc}") from None

    def sheets(self) -> list[SheetPart]:
        """Every worksheet, in workbook order, with the part that holds it."""
        workbook = self._xml("xl/workbook.xml")
        out = []
        for sheet in workbook.findall("m:sheets/m:sheet", _NS):
            _, part = self._relationships.get(sheet.get(f"{{{_NS['r']}}}id"), ("", "xl"))
            out.append(SheetPart(sheet.get("name", ""), part, sheet.get("state", "visible")))
        return out

    @cached_property
    def _relationships(self) -> dict[str, tuple[str, str]]:
        """The workbook's relationships: id -> (type, the part it points at)."""
        rels = self._xml("xl/_rels/workbook.xml.rels")
        out = {}
        for r in rels.findall("rel:Relationship", _NS):
            target = r.get("Target", "")
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            out[r.get("Id")] = (r.get("Type", ""), part)
        return out

    def scan(self, sheet: SheetPart) -> SheetScan:
        """The sheet's extent (checked against the limits), error cells and formulas that
        were never calculated, from the sheet's XML."""
        try:
            xml = self.zip.read(sheet.part)
        except KeyError:
            raise WorkbookError(f"has no part {sheet.part} for sheet '{sheet.name}'") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(f"has a damaged sheet '{sheet.name}': {exc}") from None
        rows = columns = 0
        farthest = ""
        refs = _far_cells(xml)
        dimension = _DIMENSION.search(xml, 0, 4096)
        if dimension and _CELL_REF.match(last := dimension.group(1).decode().split(":")[-1]):
            refs.append(last)  # calamine may size its reading by it
        for ref in refs:
            row, col = _position(ref)
            if col + 1 > columns:
                columns, farthest = col + 1, ref
            rows = max(rows, row + 1)
        begin, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
        data = xml[begin : end if end != -1 else len(xml)] if begin != -1 else b""
        rows = max([rows, *map(int, _ROW_NUMBER.findall(data))])
        hidden_rows = {int(number) - 1 for number in _HIDDEN_ROW_NUMBER.findall(data)}
        rows = max(rows, data.count(b"<row"))  # rows may leave out r=""
        hidden_columns = set()
        head = xml[: begin if begin != -1 else 0]
        for match in _COL_TAG.finditer(head):
            span = _COL_SPAN.search(match.group(1))
            if span and _HIDDEN.search(match.group(1)):
                first, last = int(span.group(1)), min(int(span.group(2)), MAX_COLUMNS)
                hidden_columns.update(range(first - 1, last))
        columns = max(columns, 26)  # no cell beyond column Z was found: at most 26
        if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
            where = f" (its farthest cell: {farthest})" if farthest else ""
            raise WorkbookError(
                f"sheet '{sheet.name}' reaches row {rows:,} and column "
                f"{column_letter(columns - 1)}{where}; psw reads at most {MAX_ROWS:,} rows and "
                f"{MAX_COLUMNS} columns: delete what stands beyond the table"
            )
        cells, text = self._text_bytes(data)
        if text > MAX_TEXT_BYTES:
            raise WorkbookError(
                f"sheet '{sheet.name}' expands to {text / 2**20:,.0f} MB of text when read "
                f"({cells:,} cells repeat the workbook's shared strings); "
                f"psw reads sheets of at most {MAX_TEXT_BYTES // 2**20} MB of text"
            )
        scan = SheetScan(rows, columns, hidden_rows=hidden_rows, hidden_columns=hidden_columns)
        for start, stop, ref in _cells_containing(data, b't="e"'):
            value = re.search(rb"<v>([^<]*)</v>", data[start:stop])
            scan.error_cells[_position(ref)] = value.group(1).decode() if value else "#ERROR"
        for start, stop, ref in _cells_containing(data, b"<f"):
            body = data[start:stop]
            if not re.search(rb"<v>[^<]+</v>|<is>", body):
                formula = re.search(rb"<f[^>]*>([^<]*)</f>", body)
                text = formula.group(1).decode() if formula and formula.group(1) else "(shared)"
                scan.uncalculated[_position(ref)] = text
        return scan


def _far_cells(xml: bytes) -> list[str]:
    """The references of the far cells: `r="…"` attributes, after whitespace as in a tag."""
    return [
        match.group(1).decode()
        for match in _FAR_CELL.finditer(xml)
        if xml[match.start() - 1 : match.start()].isspace()
    ]


def _cells_containing(xml: bytes, needle: bytes):
    """(start, end, reference) of every <c> element that contains `needle`."""
    at = xml.find(needle)
    while at != -1:
        if needle == b"<f" and xml[at + 2 : at + 3] not in (b">", b" ", b"/"):
            at = xml.find(needle, at + 2)
            continue
        start = xml.rfind(b"<c ", 0, at)
        end = xml.find(b"</c>", at)
        end = len(xml) if end == -1 else end
        match = _CELL_START.match(xml, start) if start != -1 else None
        if match:
            yield start, end, match.group(1).decode()
        at = xml.find(needle, max(end, at + 1))
