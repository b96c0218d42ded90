"""The run-failure log under the warehouse folder: one line per failed step of a run, from
`make run` and from the daemon's run-failure sensor alike."""

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


def _root_cause(error) -> str:
    """What went wrong, not Dagster's wrapping of it ("Error occurred while executing op"):
    the innermost cause of a serialized error, with its exception class."""
    if error is None:
        return "failed"
    while getattr(error, "cause", None) is not None:
        error = error.cause
    text = error.message.strip()
    name = getattr(error, "cls_name", None)
    return text if not name or text.startswith(name) else f"{name}: {text}"


def step_failures(events) -> list[tuple[str, str]]:
    """(step, message) of each of a run's step-failure events (Dagster's, read by attribute):
    a rejected file's message starts with `REJECTED <file>: <rules and rows>`, anything else
    is `FAILED <step>: <error>`."""
    failures = []
    for event in events:
        data = event.step_failure_data
        if data.user_failure_data and data.user_failure_data.description:
            message = data.user_failure_data.description.strip()
        else:
            message = f"FAILED {event.step_key}: {_root_cause(data.error)}"
        failures.append((event.step_key, message))
    return failures
