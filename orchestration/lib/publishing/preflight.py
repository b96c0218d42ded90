"""Before any work: can a run write and publish the warehouse and the folders it writes? And
after a failed step: was the disk full?"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from orchestration.lib.publishing.working_copy import work_path

# Room a run needs beside the warehouse's two copies (the working copy and the one being
# published): dbt's temporary tables, the WAL, the logs.
SPARE_BYTES = 64 * 1024 * 1024


class WarehouseUnusable(Exception):
    """The warehouse, its folder or its disk cannot take a run; the message says why."""


def ensure_writable(folder: Path, advice: str) -> None:
    """Make `folder` if need be and write a file in it; WarehouseUnusable names the folder,
    the reason and what to do (`advice`)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".psw-write-test-"):
            pass
    except OSError as exc:
        raise WarehouseUnusable(
            f"cannot write in {folder} ({exc.strerror or exc}): {advice}"
        ) from None


def preflight(published: Path, also: tuple[tuple[Path, str], ...] = ()) -> None:
    """Check, before any work, that a run can write and publish the warehouse and write the
    other folders it writes (`also`: each with what to do when it cannot be); raise
    WarehouseUnusable with one sentence saying what is wrong and what to do."""
    published = Path(published)
    folder = published.parent
    ensure_writable(folder, "set PSW_WAREHOUSE_PATH to a writable place")
    for other, advice in also:
        ensure_writable(Path(other), advice)
    size = 0
    if published.exists():
        try:
            with duckdb.connect(str(published), read_only=True) as conn:
                conn.execute("select count(*) from duckdb_tables()").fetchall()
        except (duckdb.Error, OSError) as exc:
            reason = str(exc).strip().splitlines()[0][:200]
            raise WarehouseUnusable(
                f"the warehouse {published} cannot be opened ({reason}): restore it from a "
                "backup, or move it away to rebuild it from the raw files"
            ) from None
        size = published.stat().st_size
    work = work_path(published)
    need = size + (0 if work.exists() else size) + SPARE_BYTES
    free = shutil.disk_usage(folder).free
    if free < need:
        raise WarehouseUnusable(
            f"not enough free space in {folder}: {free / 2**20:,.0f} MB free, a run needs "
            f"about {need / 2**20:,.0f} MB (a working copy and a published copy of the "
            "warehouse)"
        )


# What the operating system, DuckDB and SQLite say when a disk is full.
_DISK_FULL = ("No space left on device", "Errno 28", "ENOSPC", "database or disk is full")


def disk_full(folders: tuple[Path, ...], messages: tuple[str, ...] = ()) -> list[str]:
    """One line for each folder whose disk is full, or nearly (less free than a run keeps
    spare), once a step has failed; and one when a failure says so though the disk has since
    been freed."""
    lines, seen = [], set()
    for folder in folders:
        folder = Path(folder)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        usage = shutil.disk_usage(folder)
        device = os.stat(folder).st_dev
        if usage.free < SPARE_BYTES and device not in seen:
            seen.add(device)
            lines.append(
                f"psw: no space left on the disk of {folder} ({usage.free / 2**20:,.0f} MB "
                f"free of {usage.total / 2**20:,.0f} MB): free some space and run again; "
                "nothing unfinished was published"
            )
    if not lines and any(word in m for m in messages for word in _DISK_FULL):
        lines.append(
            "psw: a step failed for lack of disk space (no space left on device): free some "
            "space and run again; nothing unfinished was published"
        )
    return lines
