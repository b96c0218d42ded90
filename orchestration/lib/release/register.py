"""The release register: every step of every month's release, one JSON line each, appended
under a lock and never rewritten. It lives in the drafts folder, on the bureau's side.

    prepared   a run wrote the month's draft, and its figures differ from the last draft's
    approved   a person approved the draft with those figures (its fingerprint)
    refused    an approval or a release that could not be done, and why
    released   the approved draft went out as version N of the month

A month's state follows from its lines: `released` while the last version carries the
current draft's figures; `approved` while an approval names them; else `draft`. A draft
whose figures change after approval (a correction loaded) is a draft again, and a released
month whose draft changes waits, as a draft, to become its next version.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "register.jsonl"
BEIJING = dt.timedelta(hours=8)  # Asia/Shanghai: UTC+8 all year


def beijing(moment: dt.datetime | None) -> str:
    """A UTC time as Beijing time, to the minute (how the calendar and the bulletins say it)."""
    return "" if moment is None else f"{moment + BEIJING:%Y-%m-%d %H:%M}"


def append(drafts: Path, event: str, month: str, at: dt.datetime, /, **fields) -> dict:
    """Add one line to the register (creating it), under an exclusive lock."""
    drafts.mkdir(parents=True, exist_ok=True)
    line = {"event": event, "month": month, "at": at.isoformat(timespec="seconds"), **fields}
    with open(drafts / FILE_NAME, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        handle.flush()
    return line


def read(folder: Path) -> list[dict]:
    path = folder / FILE_NAME
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        return [json.loads(line) for line in handle if line.strip()]


@dataclass(frozen=True)
class MonthState:
    month: str
    fingerprint: str  # the current draft's figures
    state: str  # draft | approved | released
    version: int  # the version released (state released) or to be released next
    release_at: dt.datetime  # the calendar's time, UTC
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    released_at: dt.datetime | None = None  # when psw published the version (state released)
    prepared_at: dt.datetime | None = None

    def due(self, now: dt.datetime) -> bool:
        """Approved, and its release time has come: the schedule releases it."""
        return self.state == "approved" and self.release_at <= now

    def says(self, now: dt.datetime) -> str:
        """The state in one line, as `make run`, `release status` and the UI say it."""
        if self.state == "released":
            return (
                f"released v{self.version} (release time {beijing(self.release_at)}, "
                f"approved by {self.approved_by} {beijing(self.approved_at)})"
            )
        if self.state == "approved":
            when = (
                "due now"
                if self.release_at <= now
                else f"embargoed until {beijing(self.release_at)} Beijing time"
            )
            approved = f"approved v{self.version} by {self.approved_by}"
            return f"{approved} {beijing(self.approved_at)}, {when}"
        return f"draft v{self.version}, awaiting approval (release time {beijing(self.release_at)})"


def _time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def states(events: list[dict], calendar: dict[str, dt.datetime]) -> dict[str, MonthState]:
    """Each drafted month's state, from the register's lines and the calendar's times (UTC)."""
    out = {}
    for month in sorted({e["month"] for e in events if e["event"] == "prepared"}):
        mine = [e for e in events if e["month"] == month]
        prepared = [e for e in mine if e["event"] == "prepared"][-1]
        fingerprint = prepared["fingerprint"]
        released = [e for e in mine if e["event"] == "released"]
        approvals = [
            e for e in mine if e["event"] == "approved" and e["fingerprint"] == fingerprint
        ]
        common = {"month": month, "fingerprint": fingerprint, "release_at": calendar[month]}
        if released and released[-1]["fingerprint"] == fingerprint:
            last = released[-1]
            out[month] = MonthState(
                **common,
                state="released",
                version=last["version"],
                approved_by=last["approved_by"],
                approved_at=_time(last["approved_at"]),
                released_at=_time(last["at"]),
                prepared_at=_time(prepared["at"]),
            )
            continue
        version = (released[-1]["version"] if released else 0) + 1
        if approvals:
            out[month] = MonthState(
                **common,
                state="approved",
                version=version,
                approved_by=approvals[-1]["by"],
                approved_at=_time(approvals[-1]["at"]),
                prepared_at=_time(prepared["at"]),
            )
        else:
            out[month] = MonthState(
                **common, state="draft", version=version, prepared_at=_time(prepared["at"])
            )
    return out


def released_versions(events: list[dict]) -> list[dict]:
    """Every `released` line, in the order they went out."""
    return [e for e in events if e["event"] == "released"]
