"""The unified social credit code (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import numpy as np
import pandas as pd

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_VALUE = {char: i for i, char in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (raises KeyError on a character outside the set)."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: object) -> bool:
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(char not in _VALUE for char in code):
        return False
    return check_character(code[:17]) == code[17]


_LOOKUP = np.full(256, -1, dtype=np.int64)  # an ASCII byte -> its value, -1 outside the set
_LOOKUP[np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(len(ALPHABET))


def valid(values: pd.Series) -> pd.Series:
    """is_valid over a column at once (the rules check 100,000-row files): the codes that are
    18 ASCII characters become one array of bytes, and the check characters are computed as a
    matrix product."""
    items = values.to_numpy(dtype=object)
    shaped = np.fromiter(
        (isinstance(v, str) and len(v) == 18 and v.isascii() for v in items), bool, len(items)
    )
    out = np.zeros(len(items), dtype=bool)
    if shaped.any():
        text = "".join(items[shaped]).encode("ascii")
        digits = _LOOKUP[np.frombuffer(text, dtype=np.uint8)].reshape(-1, 18)
        total = digits[:, :17] @ np.array(WEIGHTS, dtype=np.int64)
        ok = (digits >= 0).all(axis=1) & ((31 - total % 31) % 31 == digits[:, 17])
        out[np.flatnonzero(shaped)[ok]] = True
    return pd.Series(out, index=values.index)
