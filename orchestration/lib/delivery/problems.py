"""What psw tells a department about its file: one located problem, and how many of them (or
of its rows) a message shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from orchestration.lib.delivery.catalogue import catalogue

SHOWN = 20  # rows or problems a message lists before "… and N more"


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
    rows: tuple[int, ...] = ()  # the first Excel rows that break the rule (at most SHOWN)
    count: int = 1  # how many rows break it

    def __post_init__(self) -> None:
        if self.rule not in catalogue():  # every id a user sees is explained in docs/
            raise ValueError(f"rule {self.rule!r} is not in the rule catalogue (delivery/)")

    @property
    def rule_text(self) -> str:
        return catalogue()[self.rule].text

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
        detail = f": {self.message}" if self.message else ""
        return f"[{self.rule}{level}: {self.rule_text}] {', '.join(where)}{detail}"


@dataclass(frozen=True)
class RuleResult:
    """One rule checked on one sheet (one expectation of its suite): passed, or how many rows
    break it."""

    rule: str
    sheet: str
    column: str | None  # the header as the file writes it
    passed: bool
    failing: int = 0


def first_shown(items: Sequence) -> list:
    """The items a message shows."""
    return list(items[:SHOWN])


def listed(problems: Iterable[Problem], indent: str = "") -> str:
    """One problem a line, at most SHOWN of them, and how many more there are."""
    problems = list(problems)
    lines = [f"{indent}{p}" for p in first_shown(problems)]
    if len(problems) > SHOWN:
        lines.append(f"{indent}… and {len(problems) - SHOWN} more")
    return "\n".join(lines)
