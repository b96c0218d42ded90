"""Normalising the text and numbers that government spreadsheets hold.

Cells arrive as numbers, as numbers stored as text (with thousands separators, full-width
digits, stray spaces) or as a dash meaning zero / not applicable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import pandas as pd

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset; the ideographic space too.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_FULL_WIDTH.update({ord("—"): ord("-"), ord("–"): ord("-"), ord("－"): ord("-")})

# What a department writes for zero or "not applicable" (the contract's dashes and blanks).
# "NaN" or "None" typed into a cell are not among them: they are not numbers.
EMPTY_MARKERS = frozenset({"", "-", "--", "---", "/", "无数据"})
# No figure of the contract comes near this (in the file's unit); beyond it a value is a typo,
# an overflow or an attack, and an integer column could not even hold it.
MAX_MAGNITUDE = 1e12

# Characters that print as nothing: zero-width spaces and joiners, the BOM, soft hyphens and
# direction marks. Copied from web pages into keys and headers, they make "WJSC-2025-001"
# and "WJSC-2025-001\u200b" two projects; they are removed wherever a cell is read.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_WHITESPACE = re.compile(r"\s+")
# Thousands separators where they belong: 1,234 and 12,345,678.9, never 1.234,5 or 12,34.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_UNIT_SUFFIX = re.compile(r"^(?P<base>.*?)\((?P<unit>[^()]*)\)$")


# What clean_text changes in a text: a character half_width maps or removes, a whitespace
# other than a single space between words. Most cells hold none, and are kept as they are.
_NEEDS_CLEANING = re.compile(
    "[\uff01-\uff5e\u3000—–\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
    "|[^\\S ]|  |^ | $"
)


def half_width(text: str) -> str:
    return _INVISIBLE.sub("", text).translate(_FULL_WIDTH)


def clean_text(value: object) -> str | None:
    """A text cell as the warehouse keeps it: half-width, single spaces, trimmed; None if empty."""
    if type(value) is str and not _NEEDS_CLEANING.search(value):
        return value or None
    return normalised_text(value)


def clean_texts(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """clean_text of every cell of a column, the column at once; and the positions of the
    cells that went through it one by one (every cell that is not text among them)."""
    return _column_map(cells, clean_text, min_length=1)


def parse_codes(cells: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """parse_code of every cell of a column, the column at once, as clean_texts."""
    return _column_map(cells, lambda value: parse_code(value, width), min_length=width)


def _column_map(
    cells: np.ndarray, one: Callable[[object], object], min_length: int
) -> tuple[np.ndarray, np.ndarray]:
    """`one` of every cell: a text that cleaning keeps as it is, and at least `min_length`
    long, is its own value (so it is for clean_text, and for parse_code, which pads only
    shorter codes); every other cell but an empty one goes through `one`."""
    cells = np.asarray(cells, dtype=object)
    present = cells != None  # noqa: E711 (elementwise)
    if pd.api.types.infer_dtype(cells[present], skipna=False) == "string":
        is_text = present  # every cell that holds something holds text (NaN is not text)
    else:
        is_text = np.fromiter((type(v) is str for v in cells), dtype=bool, count=len(cells))
    at = np.flatnonzero(is_text)
    needs, lengths = _scan_texts(cells[at])
    kept = np.zeros(len(cells), dtype=bool)
    kept[at] = ~needs & (lengths >= min_length)
    out = cells.copy()
    slow = np.flatnonzero(~kept & present)
    for i in slow:
        out[i] = one(cells[i])
    return out, slow


@cache
def changed_by_cleaning() -> np.ndarray:
    """For each code point of the BMP, whether clean_text changes it wherever it stands: a
    full-width or invisible character, a whitespace other than the space (no character
    beyond the BMP is one)."""
    probe = _NEEDS_CLEANING.search
    return np.fromiter(
        (probe(f"a{chr(point)}a") is not None for point in range(0x10000)), bool, 0x10000
    )


def _scan_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which texts clean_text would change (or are empty), and their lengths: its shortcut's
    test, run over the code points of the whole column joined (a column of 100,000 cells in
    a few milliseconds, where a regular expression per cell takes a tenth of a second)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    marked = changed_by_cleaning()[np.minimum(points, 0xFFFF)]
    space = points == 32
    # two spaces in a row (a pair across two texts ends the first with a space: it is marked)
    marked[:-1] |= space[:-1] & space[1:]
    needs = np.zeros(len(texts), dtype=bool)
    needs[np.searchsorted(ends, np.flatnonzero(marked), side="right")] = True
    filled = lengths > 0
    needs |= ~filled
    needs[filled] |= space[starts[filled]] | space[ends[filled] - 1]  # a space at either end
    return needs, lengths


def normalised_text(value: object) -> str | None:
    """clean_text without its shortcut for text that needs no cleaning."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _WHITESPACE.sub(" ", half_width(str(value))).strip()
    return text or None


def comparable(value: object) -> str | None:
    """A key or a name as psw compares it, wherever it does (within a file, with last
    month's, across the year): clean_text's form without spaces, in capitals, so that
    `wjsc-2025-001`, `ＷＪＳＣ－2025－001` and `WJSC - 2025 - 001` are one project."""
    return _comparable_clean(clean_text(value))


def _comparable_clean(text: str | None) -> str | None:
    return text.replace(" ", "").upper() if text else None


def comparables(values: pd.Series) -> pd.Series:
    """comparable of every value of a column (None where a value is empty)."""
    cleaned, _ = clean_texts(values.to_numpy(dtype=object))
    return comparables_of_clean(pd.Series(cleaned, index=values.index, dtype=object))


def comparables_of_clean(texts: pd.Series) -> pd.Series:
    """comparable of a column clean_texts has cleaned already (the reader's: it does not
    clean a 100,000-row column twice)."""
    return pd.Series(
        [_comparable_clean(v) if isinstance(v, str) else None for v in texts],
        index=texts.index,
        dtype=object,
    )


def header_key(value: object) -> str:
    """A header cell reduced to what identifies it: no spaces or line breaks, half-width."""
    text = clean_text(value) or ""
    return text.replace(" ", "")


def split_unit(header: str) -> tuple[str, str | None]:
    """'总投资(万元)' -> ('总投资', '万元'); '项目名称' -> ('项目名称', None)."""
    match = _UNIT_SUFFIX.match(header)
    if not match:
        return header, None
    return match.group("base"), match.group("unit")


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of cells into floats.

    Returns the values (NaN where the cell is empty or a dash) and a mask of the cells that
    hold something that is not a finite number of a plausible size (text, NaN, inf, 1E+20).
    """
    cells = values.to_numpy(dtype=object)
    out = np.full(len(cells), np.nan)
    bad = np.zeros(len(cells), dtype=bool)
    # Excel's numbers come as floats: taken whole; the other cells one by one.
    floats = np.fromiter((type(value) is float for value in cells), dtype=bool, count=len(cells))
    out[floats] = cells[floats].astype(float)
    with np.errstate(invalid="ignore"):
        bad[floats] = ~(np.abs(out[floats]) < MAX_MAGNITUDE)  # also NaN and inf
    for i in np.flatnonzero(~floats):
        value = cells[i]
        if value is None:
            continue
        if isinstance(value, bool):
            bad[i] = True
        elif isinstance(value, int | float | np.integer | np.floating):
            out[i] = float(value)
            bad[i] = not abs(out[i]) < MAX_MAGNITUDE  # also NaN and inf
        else:
            text = _WHITESPACE.sub("", half_width(str(value)).replace("，", ","))
            if text in EMPTY_MARKERS:
                continue
            if "," in text:
                if not _GROUPED.match(text):  # 1.234,5 or 12,34: whose separator is it?
                    bad[i] = True
                    continue
                text = text.replace(",", "")
            if "_" in text:  # Python reads 1_0 as 10; Excel does not
                bad[i] = True
                continue
            try:
                out[i] = float(text)
            except ValueError:
                bad[i] = True
                continue
            bad[i] = not abs(out[i]) < MAX_MAGNITUDE
    out[bad] = np.nan
    return pd.Series(out, index=values.index), pd.Series(bad, index=values.index)


def parse_code(value: object, width: int) -> str | None:
    """A code cell ('0701', 701, 701.0, '０７０１') as zero-padded text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        if float(value).is_integer():
            return str(int(value)).zfill(width)
        return str(value)
    text = clean_text(value)
    if text is None:
        return None
    return text.zfill(width) if text.isdigit() else text
