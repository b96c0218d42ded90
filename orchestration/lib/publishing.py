"""The warehouse analysts open, and the private copy a run writes.

DuckDB allows one writer and a reader must never wait for it or see half a month, so a run
never opens the published file: it writes `<warehouse>.work`, and when it ends the copy is
published by an atomic rename. A reader that opened the old file keeps reading it; the next
connection sees the new one. A marker beside the working copy says it equals the published
file; a run that dies (even by SIGKILL) leaves no marker, and the next run starts again
from what was last published.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def work_path(published: Path) -> Path:
    return Path(f"{published}.work")


class WorkingCopy:
    def __init__(self, published: Path):
        self.published = Path(published)
        self.work = work_path(self.published)
        self.marker = Path(f"{self.work}.synced")

    def _remove_work(self) -> None:
        for path in (self.work, Path(f"{self.work}.wal")):
            path.unlink(missing_ok=True)

    def begin(self) -> None:
        """Make the working copy equal to the published warehouse, unless it already is."""
        self.published.parent.mkdir(parents=True, exist_ok=True)
        if not (self.marker.exists() and self.work.exists()):
            self._remove_work()
            if self.published.exists():
                shutil.copyfile(self.published, self.work)
        self.marker.unlink(missing_ok=True)  # from now on the copy may differ

    def publish(self) -> None:
        """Atomically replace the published warehouse with the working copy."""
        if not self.work.exists():
            return
        with duckdb.connect(str(self.work)) as conn:
            conn.execute("checkpoint")  # everything in the main file, nothing left in the WAL
        staging = self.published.with_name(f".{self.published.name}.publishing")
        shutil.copyfile(self.work, staging)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, self.published)
        self.marker.touch()

    def discard(self) -> None:
        """Forget the working copy's changes: the next run starts from the published file."""
        self.marker.unlink(missing_ok=True)


def loaded_files(published: Path) -> set[tuple[str, str]]:
    """(file name, SHA-256) of every file the published warehouse has loaded."""
    if not Path(published).exists():
        return set()
    with duckdb.connect(str(published), read_only=True) as conn:
        exists = conn.execute(
            "select count(*) from information_schema.tables where "
            "table_schema = 'raw' and table_name = 'load_log'"
        ).fetchall()[0][0]
        if not exists:
            return set()
        rows = conn.execute(
            "select distinct file_name, sha256 from raw.load_log "
            "where outcome in ('loaded', 'unchanged')"
        ).fetchall()
    return {(name, sha) for name, sha in rows}
