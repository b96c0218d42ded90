"""A month's release before it goes out: the draft, its fingerprint, its approval.

After each build the warehouse's `release` schema (disclosure control done) is copied to the
drafts folder ($PSW_DRAFTS_DIR, the bureau's side, never published): psw_release_draft.duckdb.
Each month's figures get a fingerprint, and the register (register.py) records a draft whose
figures changed; an approval names the fingerprint it approves. export.py publishes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.publishing import lock
from orchestration.lib.release import register
from orchestration.lib.release.register import MonthState

SCHEMA = "release"
DRAFT_NAME = "psw_release_draft.duckdb"
# what is not a figure: the load log (each run adds to it) and when and by which load a
# revision was seen (a warehouse rebuilt from the same files has new ones)
NOT_FIGURES = {"source_file"}
VOLATILE_COLUMNS = {"revised_by", "loaded_at", "first_published_at", "revised_at"}


class ReleaseStopped(Exception):
    """A stop was asked for while the release was written: the last release stays."""


class ApprovalRefused(Exception):
    """An approval that cannot be recorded: no draft, or nothing new to approve."""


@dataclass(frozen=True)
class Draft:
    path: Path
    tables: dict[str, int]  # table: rows
    months: list[str]
    held: int  # values held by disclosure control (CONF_STATUS C)
    changed: list[str]  # months whose figures differ from their last draft


def quoted(text: Path | str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


@contextmanager
def exclusive(drafts_dir: Path) -> Iterator[None]:
    """One writer of the drafts and the release at a time (a run, the schedule, the CLI)."""
    drafts_dir.mkdir(parents=True, exist_ok=True)
    with open(drafts_dir / ".release.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def tables(conn: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "select table_name from duckdb_tables() where database_name = ? and schema_name = ? "
            "order by 1",
            [database, SCHEMA],
        ).fetchall()
    ]


def month_of(conn: duckdb.DuckDBPyConnection, database: str, table: str) -> str | None:
    """The SQL for a row's month in a table of one month's rows (None: a table for every
    month, such as the catalogue or the calendar, which the release publishes whole)."""
    columns = {
        name
        for (name,) in conn.execute(
            "select column_name from duckdb_columns() where database_name = ? and schema_name = ? "
            "and table_name = ?",
            [database, SCHEMA, table],
        ).fetchall()
    }
    if "period" in columns:
        return "strftime(period, '%Y-%m')"
    if "month" in columns:
        return "month"
    return None


def write_draft(warehouse: Path, drafts_dir: Path, now: dt.datetime, run_id: str = "") -> Draft:
    """Copy the warehouse's release schema into the drafts folder and record in the register
    each month whose figures changed."""
    with exclusive(drafts_dir):
        partial = drafts_dir / f".{DRAFT_NAME}.partial"
        partial.unlink(missing_ok=True)
        with duckdb.connect(str(partial)) as conn:
            conn.execute(f"attach {quoted(warehouse)} as warehouse (read_only)")
            names = tables(conn, "warehouse")
            if not names:
                raise FileNotFoundError(
                    f"{warehouse} has no {SCHEMA} schema: the dbt build makes it"
                )
            conn.execute(f"create schema {SCHEMA}")
            counts = {}
            for table in names:
                conn.execute(
                    f"create table {SCHEMA}.{table} as select * from warehouse.{SCHEMA}.{table}"
                )
                counts[table] = conn.execute(f"select count(*) from {SCHEMA}.{table}").fetchone()[0]
                copy_comments(conn, "warehouse", table)
            conn.execute("detach warehouse")
            prints = fingerprints(conn)
            held = conn.execute(
                f"select count(*) from {SCHEMA}.indicator_value where conf_status != 'F'"
            ).fetchone()[0]
            conn.execute("checkpoint")
        if lock.stop_requested():
            partial.unlink(missing_ok=True)
            raise ReleaseStopped("stopped before the draft was replaced")
        os.replace(partial, drafts_dir / DRAFT_NAME)
        last = {}
        for event in register.read(drafts_dir):
            if event["event"] == "prepared":
                last[event["month"]] = event["fingerprint"]
        changed = [m for m, f in sorted(prints.items()) if last.get(m) != f]
        for month in changed:
            register.append(
                drafts_dir, "prepared", month, now, fingerprint=prints[month], run_id=run_id
            )
    return Draft(drafts_dir / DRAFT_NAME, counts, sorted(prints), held, changed)


def fingerprints(conn: duckdb.DuckDBPyConnection, database: str | None = None) -> dict[str, str]:
    """Each month's figures as one hash: every row of every table of that month (numbers to
    10^-6, so that a rebuild's last bits of a sum do not count), without the load log and the
    times and loads that saw them."""
    database = database or conn.execute("select current_database()").fetchone()[0]
    parts: dict[str, list[str]] = {}
    for table in tables(conn, database):
        month = month_of(conn, database, table)
        if month is None or table in NOT_FIGURES:
            continue
        columns = [
            f'round("{name}", 6)' if kind == "DOUBLE" else f'"{name}"'
            for name, kind in conn.execute(
                "select column_name, data_type from duckdb_columns() where database_name = ? "
                "and schema_name = ? and table_name = ? order by column_index",
                [database, SCHEMA, table],
            ).fetchall()
            if name not in VOLATILE_COLUMNS
        ]
        for key, digest in conn.execute(
            f"""
            select month_key, md5(string_agg(row_text, chr(10) order by row_text))
            from (
                select {month} as month_key, cast(row({", ".join(columns)}) as varchar) as row_text
                from {database}.{SCHEMA}.{table}
            )
            group by month_key
            """
        ).fetchall():
            parts.setdefault(key, []).append(f"{table}:{digest}")
    return {
        month: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]
        for month, lines in parts.items()
    }


def copy_comments(conn: duckdb.DuckDBPyConnection, database: str, table: str) -> None:
    """The descriptions dbt wrote (中文 / English), on the copied table and its columns."""
    row = conn.execute(
        "select comment from duckdb_tables() where database_name = ? "
        "and schema_name = ? and table_name = ?",
        [database, SCHEMA, table],
    ).fetchone()
    if row and row[0]:
        conn.execute(f"comment on table {SCHEMA}.{table} is {quoted(row[0])}")
    for column, text in conn.execute(
        "select column_name, comment from duckdb_columns() where database_name = ? "
        "and schema_name = ? and table_name = ? and comment is not null",
        [database, SCHEMA, table],
    ).fetchall():
        conn.execute(f'comment on column {SCHEMA}.{table}."{column}" is {quoted(text)}')


def calendar(draft: Path) -> dict[str, dict]:
    """The release calendar of the draft: each month's time (UTC) and who signs."""
    with duckdb.connect(str(draft), read_only=True) as conn:
        rows = conn.execute(
            f"select month_key, release_at_utc, drafter, reviewer, approver "
            f"from {SCHEMA}.release_calendar"
        ).fetchall()
    return {
        month: {"release_at": at, "drafter": d, "reviewer": r, "approver": a}
        for month, at, d, r, a in rows
    }


def month_states(drafts_dir: Path, signers: dict[str, dict] | None = None) -> dict[str, MonthState]:
    """Every drafted month's state (draft, approved, released), from the register and the
    calendar (`signers`: the draft's calendar, where the caller has read it already)."""
    draft = drafts_dir / DRAFT_NAME
    if signers is None:
        if not draft.exists():
            return {}
        signers = calendar(draft)
    times = {month: row["release_at"] for month, row in signers.items()}
    return register.states(register.read(drafts_dir), times)


def approve(drafts_dir: Path, month: str, by: str, now: dt.datetime) -> MonthState:
    """Record that `by` approved the month's current draft (its figures, by fingerprint)."""
    with exclusive(drafts_dir):
        states = month_states(drafts_dir)
        state = states.get(month)
        reason = None
        if not by.strip():
            reason = "an approval names the person who gives it (--by)"
        elif state is None:
            reason = f"there is no draft of {month}: a run writes it (`make run`)"
        elif state.state == "released":
            reason = (
                f"{month} is released as v{state.version} with these figures; a correction "
                "makes a new draft to approve"
            )
        if reason:
            register.append(
                drafts_dir, "refused", month, now, action="approve", by=by, reason=reason
            )
            raise ApprovalRefused(reason)
        register.append(drafts_dir, "approved", month, now, fingerprint=state.fingerprint, by=by)
        return month_states(drafts_dir)[month]
