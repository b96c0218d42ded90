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

One run writes at a time: a lock file beside the warehouse, held for the whole run, names the
process that holds it. The lock is the operating system's (flock), so a run that dies releases
it with its process.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

# Room a run needs beside the warehouse's two copies (the working copy and the one being
# published): dbt's temporary tables, the WAL, the logs.
SPARE_BYTES = 64 * 1024 * 1024


class WarehouseBusy(Exception):
    """Another run is writing the warehouse."""


class WarehouseUnusable(Exception):
    """The warehouse, its folder or its disk cannot take a run; the message says why."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def log_publication(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Record that the run publishes the warehouse now (called just before it does)."""
    from orchestration.lib.raw_tables import PUBLICATIONS  # `query` need not import pandas

    conn.execute("create schema if not exists raw")
    conn.execute(PUBLICATIONS.ddl())
    conn.execute("insert into raw.publications values (?, ?)", [run_id, utc_now()])


def work_path(published: Path) -> Path:
    return Path(f"{published}.work")


def lock_path(published: Path) -> Path:
    return Path(f"{published}.lock")


def _identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


_held: dict[str, tuple[int, int]] = {}  # lock file -> (descriptor, depth) in this process
_stopping = threading.Event()


def acquire(published: Path, wait_seconds: float = 0) -> None:
    """Take the warehouse's writer lock (again, if this process holds it); wait up to
    `wait_seconds` for another run to finish, then raise WarehouseBusy naming it."""
    path = lock_path(published)
    key = str(path)
    if key in _held:
        descriptor, depth = _held[key]
        _held[key] = (descriptor, depth + 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = path.read_text(errors="replace").strip() or "another process"
                os.close(descriptor)
                raise WarehouseBusy(
                    f"another psw run ({holder}) is writing {published}: wait for it to "
                    "finish, or stop it, and run again"
                ) from None
            time.sleep(0.5)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"pid {os.getpid()}, started {stamp}".encode())
    _held[key] = (descriptor, 1)


def release(published: Path) -> None:
    key = str(lock_path(published))
    if key not in _held:
        return
    descriptor, depth = _held.pop(key)
    if depth > 1:
        _held[key] = (descriptor, depth - 1)
        return
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    os.close(descriptor)


_signals_seen: list[int] = []  # the read end of the wakeup pipe, once watched


def watch_stop_signals() -> None:
    """Stop the run on SIGTERM or SIGINT, however Dagster handles them meanwhile.

    While a run executes, Dagster replaces the Python handlers: its own raises an error in
    whatever frame runs, and an error raised inside a garbage-collector callback is printed
    and dropped, so a handler alone can miss a stop. The interpreter also writes each signal
    to the wakeup descriptor, whichever handler is installed; `stop_requested` reads it."""
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _signals_seen.append(read)

    def stop(signum, frame):
        request_stop()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.unraisablehook = _quiet_interrupts(sys.unraisablehook)


def _quiet_interrupts(hook):
    """An unraisable-exception hook that drops an interrupt raised where it cannot be (in a
    garbage-collector callback, by Dagster's handler): the stop is seen through the wakeup
    descriptor, and the person who stopped the run gets psw's one line, not a traceback."""

    def quiet(unraisable) -> None:
        if isinstance(unraisable.exc_value, BaseException) and not isinstance(
            unraisable.exc_value, Exception
        ):
            request_stop()
            return
        hook(unraisable)

    return quiet


def request_stop() -> None:
    """A stop was asked for (SIGTERM): what the run has not finished is not published."""
    _stopping.set()


def stop_requested() -> bool:
    for read in _signals_seen:
        try:
            received = os.read(read, 512)
        except BlockingIOError:
            received = b""
        if signal.SIGTERM in received or signal.SIGINT in received:
            _stopping.set()
    return _stopping.is_set()


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


def open_published(published: Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """The published warehouse as psw hands it to analysts: read-only, with no access to any
    other file (no COPY … TO, read_text, ATTACH of the working copy), at most `memory_limit`
    of memory (nothing spilled to disk beyond it) and the configuration locked so that a
    query cannot turn that back on."""
    config = {"enable_external_access": False, "lock_configuration": True}
    if memory_limit is not None:
        config |= {"memory_limit": memory_limit, "max_temp_directory_size": "0B"}
    return duckdb.connect(str(published), read_only=True, config=config)


def loaded_files(published: Path) -> set[tuple[str, str]]:
    """(file name, SHA-256) of every file the published warehouse has loaded, or rejected:
    the same file again would only be rejected again."""
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
            "where outcome in ('loaded', 'unchanged', 'rejected')"
        ).fetchall()
    return {(name, sha) for name, sha in rows}
