"""A month's release, from draft to the file readers open.

    draft      (draft.py) after each build, the warehouse's `release` schema is copied to the
               drafts folder ($PSW_DRAFTS_DIR, the bureau's side); the register (register.py)
               records each month whose figures changed.
    approve    (draft.py) a person approves the month's draft, naming its fingerprint.
    publish    (here) at its release time (the calendar's), an approved month goes out as a version:
               $PSW_RELEASE_DIR/<YYYY-MM>/v<N>/ holds its tables as Parquet, its release notes,
               its SDMX data and its report, written whole and renamed into place, never
               changed afterwards. psw_release.duckdb, the file readers open, is then rebuilt
               from the current version of every released month (and every version of the
               indicator table), and replaced by an atomic rename.

Before its time a month is in no file of the release folder (the embargo). A run asked to
stop replaces nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.lib.delivery.files import file_sha256
from orchestration.lib.publishing import lock
from orchestration.lib.release import register
from orchestration.lib.release.draft import (
    DRAFT_NAME,
    SCHEMA,
    ReleaseStopped,
    calendar,
    copy_comments,
    exclusive,
    month_of,
    month_states,
    quoted,
    tables,
)
from orchestration.lib.release.register import MonthState, beijing

FILE_NAME = "psw_release.duckdb"
NOTES_NAME = "release_notes.csv"
MANIFEST_NAME = "release.json"


@dataclass
class Published:
    path: Path
    released: list[MonthState] = field(default_factory=list)  # went out in this call
    states: dict[str, MonthState] = field(default_factory=dict)  # every month, after it


def publish(
    drafts_dir: Path,
    release_dir: Path,
    now: dt.datetime,
    write_report: Callable[[duckdb.DuckDBPyConnection, str, Path], object] | None = None,
    write_sdmx: Callable[..., object] | None = None,
) -> Published:
    """Release every approved month whose time has come, each as its next version, then
    rebuild the file readers open. Nothing else reaches the release folder."""
    release_dir.mkdir(parents=True, exist_ok=True)
    draft = drafts_dir / DRAFT_NAME
    published = Published(release_dir / FILE_NAME)
    with exclusive(drafts_dir):
        if not draft.exists():
            raise FileNotFoundError(f"no draft at {draft}: a run writes it (`make run`)")
        signers = calendar(draft)  # read once; each state below reads the register again
        states = month_states(drafts_dir, signers)
        for month in sorted(m for m, s in states.items() if s.due(now)):
            if lock.stop_requested():
                raise ReleaseStopped("stopped before the next month was released")
            state = states[month]
            final = release_dir / month / f"v{state.version}"
            partial = _write_version(draft, release_dir, state, now, write_sdmx)
            released = {
                "version": state.version,
                "fingerprint": state.fingerprint,
                "approved_by": state.approved_by,
                "approved_at": state.approved_at.isoformat(timespec="seconds"),
                "release_at": state.release_at.isoformat(timespec="seconds"),
                "folder": str(final.relative_to(release_dir)),
            }
            # the register's line, as it will be written once the folder is in place
            at = now.isoformat(timespec="seconds")
            event = {"event": "released", "month": month, "at": at, **released}
            # the readers' file with this version in it, written beside the old one; the
            # version's report is written from it, then the folder and the file go in place
            live = _assemble(
                draft, release_dir, [*register.read(drafts_dir), event], signers, {month: partial}
            )
            if write_report is not None:
                with duckdb.connect(str(live), read_only=True) as conn:
                    write_report(conn, month, partial / "report")
            _seal(partial, state, signers[month], now)
            if lock.stop_requested():
                shutil.rmtree(partial, ignore_errors=True)
                live.unlink(missing_ok=True)
                raise ReleaseStopped("stopped before the month was released")
            if final.exists():  # a folder the register does not know: a release killed
                shutil.rmtree(final)  # between its rename and its line in the register
            partial.rename(final)
            register.append(drafts_dir, "released", month, now, **released)
            os.replace(live, release_dir / FILE_NAME)
            published.released.append(month_states(drafts_dir, signers)[month])
        events = register.read(drafts_dir)
        if not published.released and not up_to_date(published.path, events):
            os.replace(_assemble(draft, release_dir, events, signers), published.path)
        published.states = month_states(drafts_dir, signers)
    return published


def _write_version(
    draft: Path,
    release_dir: Path,
    state: MonthState,
    now: dt.datetime,
    write_sdmx: Callable[..., object] | None,
) -> Path:
    """<month>/.v<N>.partial/: the month's tables as Parquet, its release notes against the
    version before, its SDMX data. publish() adds the report and the manifest, then renames
    it to v<N>."""
    month, version = state.month, state.version
    partial = release_dir / month / f".v{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with duckdb.connect(":memory:") as conn:
        conn.execute(f"attach {quoted(draft)} as draft (read_only)")
        for table in tables(conn, "draft"):
            where = month_of(conn, "draft", table)
            where = f"where {where} = '{month}'" if where else ""
            conn.execute(
                f"copy (select * from draft.{SCHEMA}.{table} {where}) "
                f"to {quoted(partial / f'{table}.parquet')} (format parquet)"
            )
        previous = release_dir / month / f"v{version - 1}" / "indicator_value.parquet"
        notes = _notes(conn, month, previous if version > 1 else None)
        if write_sdmx is not None:
            revised = {(n["indicator_code"], n["scope_type"], n["scope_code"]) for n in notes}
            write_sdmx(conn, month, version, partial / "sdmx", revised)
    with open(partial / NOTES_NAME, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=NOTE_COLUMNS)
        writer.writeheader()
        writer.writerows(notes)
    return partial


def _seal(folder: Path, state: MonthState, signers: dict, now: dt.datetime) -> None:
    """release.json: the version, its times and signatures, and every file's SHA-256."""
    with open(folder / NOTES_NAME, encoding="utf-8-sig") as handle:
        changed = sum(1 for _ in csv.DictReader(handle))
    manifest = {
        "month": state.month,
        "version": state.version,
        "release_at_beijing": beijing(state.release_at),
        "released_at_utc": now.isoformat(timespec="seconds"),
        "approved_by": state.approved_by,
        "approved_at_utc": state.approved_at.isoformat(timespec="seconds"),
        "drafter": signers["drafter"],
        "reviewer": signers["reviewer"],
        "approver": signers["approver"],
        "fingerprint": state.fingerprint,
        "changed_figures": changed,
        "files": {
            str(path.relative_to(folder)): file_sha256(path)
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".")
        },
    }
    (folder / MANIFEST_NAME).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def up_to_date(live: Path, events: list[dict]) -> bool:
    """Whether the readers' file holds every version the register says went out."""
    if not live.exists():
        return False
    with duckdb.connect(str(live), read_only=True) as conn:
        (count,) = conn.execute(f"select count(*) from {SCHEMA}.release_version").fetchone()
    return count == len(register.released_versions(events))


NOTE_COLUMNS = [
    "indicator_code", "indicator_name_zh", "indicator_name_en", "scope_type",
    "scope_code", "scope_name_zh", "change", "previous_value", "value", "unit",
    "previous_conf_status", "conf_status", "revised_at",
]  # fmt: skip


def _notes(conn: duckdb.DuckDBPyConnection, month: str, previous: Path | None) -> list[dict]:
    """What changed from the version before, figure by figure (none for a first version):
    a value revised, a figure new, withdrawn, newly held or newly released, with the time the
    revision table gives for it."""
    if previous is None:
        return []
    rows = conn.execute(
        f"""
        with new as (
            select * from draft.{SCHEMA}.indicator_value where strftime(period, '%Y-%m') = ?
        ),
        old as (select * from read_parquet({quoted(previous)})),
        paired as (
            select coalesce(new.indicator_code, old.indicator_code) as indicator_code,
                   coalesce(new.period, old.period) as period,
                   coalesce(new.scope_type, old.scope_type) as scope_type,
                   coalesce(new.scope_code, old.scope_code) as scope_code,
                   old.value as previous_value, new.value,
                   coalesce(new.unit, old.unit) as unit,
                   old.conf_status as previous_conf_status, new.conf_status,
                   case
                       when old.indicator_code is null then 'new'
                       when new.indicator_code is null then 'withdrawn'
                       when old.conf_status = 'F' and new.conf_status != 'F' then 'held'
                       when old.conf_status != 'F' and new.conf_status = 'F' then 'released'
                       else 'revised'
                   end as change
            from new full join old using (indicator_code, period, scope_type, scope_code)
            where old.indicator_code is null or new.indicator_code is null
               or new.conf_status is distinct from old.conf_status
               or round(new.value, 6) is distinct from round(old.value, 6)
        )
        select paired.indicator_code, indicator.indicator_name_zh, indicator.indicator_name_en,
               paired.scope_type,
               paired.scope_code, scope.scope_name_zh, paired.change, paired.previous_value,
               paired.value, paired.unit, paired.previous_conf_status, paired.conf_status,
               strftime(revision.revised_at, '%Y-%m-%d %H:%M') as revised_at
        from paired
        left join draft.{SCHEMA}.indicator as indicator using (indicator_code)
        left join draft.{SCHEMA}.scope as scope using (scope_type, scope_code)
        left join draft.{SCHEMA}.indicator_revision as revision
            using (indicator_code, period, scope_type, scope_code)
        order by indicator.headline_order nulls last, paired.indicator_code, paired.scope_type,
                 paired.scope_code
        """,
        [month],
    ).fetchall()
    return [dict(zip(NOTE_COLUMNS, row, strict=True)) for row in rows]


def _assemble(
    draft: Path,
    release_dir: Path,
    events: list[dict],
    signers: dict,
    pending: dict[str, Path] | None = None,
) -> Path:
    """psw_release.duckdb, written beside the readers' file (the caller renames it over):
    every table with the current version of each released month, the versions and their
    notes, every version of the indicator table. `pending`: a month's version being
    released, still in its partial folder."""
    pending = pending or {}

    def folder(event: dict) -> Path:
        if event["month"] in pending and event is current[event["month"]]:
            return pending[event["month"]]
        return release_dir / event["folder"]

    released = register.released_versions(events)
    current = {e["month"]: e for e in released}  # the last version of each month
    partial = release_dir / f".{FILE_NAME}.partial"
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as conn:
        conn.execute(f"attach {quoted(draft)} as draft (read_only)")
        conn.execute(f"create schema {SCHEMA}")
        newest = folder(released[-1]) if released else None
        for table in tables(conn, "draft"):
            if month_of(conn, "draft", table) is not None:
                files = [folder(e) / f"{table}.parquet" for e in current.values()]
            else:  # the catalogue, the scopes, the calendar: as the newest version had them
                files = [newest / f"{table}.parquet"] if newest else []
            source = (
                f"read_parquet([{', '.join(quoted(f) for f in files)}], union_by_name = true)"
                if files
                else f"(select * from draft.{SCHEMA}.{table} where false)"
            )
            conn.execute(f"create table {SCHEMA}.{table} as select * from {source}")
            copy_comments(conn, "draft", table)
        versions = [
            (
                e["month"], e["version"], e["version"] == current[e["month"]]["version"],
                dt.datetime.fromisoformat(e["release_at"]), dt.datetime.fromisoformat(e["at"]),
                e["approved_by"], dt.datetime.fromisoformat(e["approved_at"]),
                signers.get(e["month"], {}).get("drafter"),
                signers.get(e["month"], {}).get("reviewer"),
                signers.get(e["month"], {}).get("approver"), e["folder"],
            )
            for e in released
        ]  # fmt: skip
        conn.execute(
            f"""
            create table {SCHEMA}.release_version (
                month_key varchar, version integer, is_current boolean,
                release_at_utc timestamp, released_at_utc timestamp, approved_by varchar,
                approved_at_utc timestamp, drafter varchar, reviewer varchar,
                approver varchar, folder varchar
            )
            """
        )
        if versions:
            conn.executemany(
                f"insert into {SCHEMA}.release_version values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                versions,
            )
        notes = [folder(e) / NOTES_NAME for e in released]
        note_columns = ", ".join(f'"{c}"' for c in NOTE_COLUMNS)
        conn.execute(
            f"create table {SCHEMA}.release_note as "
            f"select null::varchar as month_key, null::integer as version, "
            + ", ".join(f'null::varchar as "{c}"' for c in NOTE_COLUMNS)
            + " where false"
        )
        for event, path in zip(released, notes, strict=True):
            conn.execute(
                f"insert into {SCHEMA}.release_note select ?, ?, {note_columns} "
                f"from read_csv({quoted(path)}, header = true, all_varchar = true)",
                [event["month"], event["version"]],
            )
        value_files = [
            (e["month"], e["version"], folder(e) / "indicator_value.parquet") for e in released
        ]
        conn.execute(
            f"create table {SCHEMA}.indicator_value_version as "
            f"select null::varchar as month_key, null::integer as version, * "
            f"from draft.{SCHEMA}.indicator_value where false"
        )
        for month, version, path in value_files:
            conn.execute(
                f"insert into {SCHEMA}.indicator_value_version by name "
                f"select ? as month_key, ? as version, * from read_parquet({quoted(path)})",
                [month, version],
            )
        for table, text in TABLE_COMMENTS.items():
            conn.execute(f"comment on table {SCHEMA}.{table} is {quoted(text)}")
        conn.execute("detach draft")
        conn.execute("checkpoint")
    return partial


TABLE_COMMENTS = {
    "release_version": (
        "发布版本：各月每次发布的版本、发布日程时间、实际发布时间与审签 / Release versions: each "
        "month's versions, their calendar time, when they went out and who approved them"
    ),
    "release_note": (
        "发布说明：新版本相对上一版本变动的每个数值 / Release notes: every figure a version "
        "changed from the version before"
    ),
    "indicator_value_version": (
        "各版本的指标数值，保持发布时原样 / The indicator values of every version, as each went out"
    ),
}
