"""The run-failure log under the warehouse folder: one line per failed step of a run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def failure_lines(
    job: str, run_id: str, month: str | None, failures: list[tuple[str, str]]
) -> list[str]:
    """`failures` is (step, message) per failed step; a rejected file's message starts with
    `REJECTED <file>: <rules and rows>`, and only that first line is kept."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = []
    for step, message in failures or [("-", "run failed")]:
        first = (message.strip().splitlines() or [""])[0]
        lines.append(
            f"{stamp}  month={month or '-'}  job={job}  run={run_id[:8]}  step={step}  {first}"
        )
    return lines


def append(log: Path, lines: list[str]) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)
