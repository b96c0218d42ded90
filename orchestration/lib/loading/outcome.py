"""What loading a source's month came to: the file found, its rows, what validation found and
checked, and the verdict (loaded, unchanged, no file, rejected). The ingestion asset, its
check and the validation page all tell it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.lib.delivery.problems import Problem, RuleResult
from orchestration.lib.reading.sheet import ParsedSheet

LOADED, UNCHANGED, NO_FILE, REJECTED = "loaded", "unchanged", "no_file", "rejected"
SKIPPED = "skipped"  # a file no load reads (raw_files.unplaced_files)


@dataclass
class LoadOutcome:
    source: str
    month: str
    status: str  # loaded | unchanged | no_file | rejected
    file: Path | None = None
    sha256: str | None = None
    rows_read: int = 0
    rows_in_warehouse: int = 0
    sheets: list[ParsedSheet] = field(default_factory=list)  # each sheet read, once read
    load_id: str | None = None  # the load that made the file the month's current version
    problems: list[Problem] = field(default_factory=list)
    checked: list[RuleResult] = field(default_factory=list)  # what the suites checked
    validated_at: dt.datetime | None = None
    # a file delivered again unchanged keeps its verdict (loading/verdicts.py): not read again
    sheet_names: list[str] = field(default_factory=list)  # the sheets it was read from
    rows_by_sheet: dict[str, int] = field(default_factory=dict)  # its rows, by raw table
    validated_with: str | None = None  # what the verdict rests on, as one key
    kept_from_earlier: bool = False

    @property
    def sheets_read(self) -> list[str]:
        return [parsed.sheet for parsed in self.sheets] or self.sheet_names

    @property
    def rules(self) -> list[str]:
        return sorted({p.rule for p in self.problems}, key=_rule_order)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def summary(self) -> str:
        """One line: the file, the rules it breaks and the first rows that break them."""
        parts = []
        for problem in self.errors or self.warnings:
            rows = (
                f" rows {','.join(map(str, problem.rows))}"
                if problem.rows
                else (f" row {problem.row}" if problem.row else "")
            )
            parts.append(f"{problem.rule} {problem.rule_text}{rows}")
        name = self.file.name if self.file else self.source
        return f"{name}: {'; '.join(parts)}"


def _rule_order(rule: str) -> tuple[str, int]:
    digits = "".join(ch for ch in rule if ch.isdigit())
    return (rule.rstrip("0123456789"), int(digits) if digits else 0)
