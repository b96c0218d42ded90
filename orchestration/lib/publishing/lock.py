"""One run writes the warehouse at a time, and a run that is asked to stop publishes nothing.

The lock is a file beside the warehouse, held for the whole run, naming the process that holds
it. It is the operating system's (flock), so a run that dies releases it with its process.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import signal
import sys
import threading
import time
from pathlib import Path


class WarehouseBusy(Exception):
    """Another run is writing the warehouse."""


def lock_path(published: Path) -> Path:
    return Path(f"{published}.lock")


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
