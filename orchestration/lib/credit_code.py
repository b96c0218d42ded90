"""The unified social credit code (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

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
