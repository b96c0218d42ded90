"""The warehouse analysts open, and the private copy a run writes.

DuckDB allows one writer and a reader must never wait for it or see half a month, so a run
never opens the published file: it writes `<warehouse>.work`, and when it ends the copy is
published by an atomic rename. A reader that opened the old file keeps reading it; the next
connection sees the new one.

The working copy is reused only while it is provably the published file's copy: publishing
records the identity (device, inode, size, modification time) of both files, and a run that
finds either changed (a backup restored, the warehouse deleted to rebuild it, the copy edited)
copies the published file again. A run that dies (even by SIGKILL) leaves no record, and the
next run starts again from what was last published.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from orchestration.lib.periods import utc_now


def log_publication(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Record that the run publishes the warehouse now (called just before it does)."""
    from orchestration.lib.loading.tables import PUBLICATIONS  # `query` need not import pandas

    conn.execute("create schema if not exists raw")
    conn.execute(PUBLICATIONS.ddl())
    conn.execute("insert into raw.publications values (?, ?)", [run_id, utc_now()])


def work_path(published: Path) -> Path:
    return Path(f"{published}.work")


def _identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


class WorkingCopy:
    def __init__(self, published: Path):
        self.published = Path(published)
        self.work = work_path(self.published)
        self.wal = Path(f"{self.work}.wal")
        self.marker = Path(f"{self.work}.synced")

    def _remove_work(self) -> None:
        for path in (self.work, self.wal):
            path.unlink(missing_ok=True)

    def is_synced(self) -> bool:
        """Whether the working copy is, provably, the copy of the published file that the
        last publish left: both files as that publish recorded them."""
        if not (self.marker.exists() and self.work.exists() and self.published.exists()):
            return False
        if self.wal.exists():
            return False  # written since
        try:
            recorded = json.loads(self.marker.read_text())
            return recorded == {
                "published": _identity(self.published),
                "work": _identity(self.work),
            }
        except (ValueError, OSError):
            return False

    def begin(self) -> None:
        """Make the working copy equal to the published warehouse, unless it provably is."""
        self.published.parent.mkdir(parents=True, exist_ok=True)
        if not self.is_synced():
            self._remove_work()
            if self.published.exists():
                shutil.copyfile(self.published, self.work)
        self.marker.unlink(missing_ok=True)  # from now on the copy may differ

    def publish(self, run_id: str | None = None) -> None:
        """Atomically replace the published warehouse with the working copy, recording the
        publishing run (if named) in it."""
        if not self.work.exists():
            return
        with duckdb.connect(str(self.work)) as conn:
            if run_id is not None:
                log_publication(conn, run_id)
            conn.execute("checkpoint")  # everything in the main file, nothing left in the WAL
        staging = self.published.with_name(f".{self.published.name}.publishing")
        shutil.copyfile(self.work, staging)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, self.published)
        self.marker.write_text(
            json.dumps({"published": _identity(self.published), "work": _identity(self.work)})
        )

    def discard(self) -> None:
        """Forget the working copy's changes: the next run starts from the published file."""
        self.marker.unlink(missing_ok=True)
