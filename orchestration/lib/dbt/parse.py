"""dbt's parse of the project, kept per warehouse so that a build starts from it.

dbt parses the whole project again (about 3 s) when its profile changes, and the profile names
the warehouse's path; `make prepare`'s parse is the default warehouse's. So each warehouse keeps
the parse of its last build, and `make run` parses a new warehouse's project beside the
ingestion (`parse_ahead`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from orchestration.lib.publishing import lock, working_copy
from orchestration.lib.settings import DBT_PREPARED_TARGET, DBT_PROJECT_DIR

TARGET = DBT_PROJECT_DIR / "target"


def prepared_parse() -> Path:
    """`make prepare`'s parse (of the default warehouse), the start of a build with none kept."""
    return DBT_PROJECT_DIR / DBT_PREPARED_TARGET / "partial_parse.msgpack"


def parse_state_path(database: str) -> Path:
    """Where dbt's parse of the project for this warehouse is kept between builds."""
    key = hashlib.sha256(str(Path(database).resolve()).encode()).hexdigest()[:16]
    return TARGET / "partial_parse" / f"{key}.msgpack"


@contextlib.contextmanager
def parse_ahead(published: Path, log: Path) -> Iterator[None]:
    """`dbt parse` for a warehouse no build has parsed yet, in a process of its own while the
    block runs (the ingestion: the other core is idle then); its parse is kept for the
    warehouse's first build, which then skips its own full parse (about 2 s).

    The parse opens no database: it reads the project and the profile, which names the
    warehouse by $PSW_WAREHOUSE_PATH. The build's dbt is given the resolved path
    (build.build_environment), and dbt takes a parse only for the very same profile, so the
    parse is given that path too, whatever this process's environment says. A parse that
    fails is left to the build, which parses again and reports what is wrong; a stopped
    `make run` stops the parse too."""
    kept = parse_state_path(str(working_copy.work_path(published)))
    if kept.exists():
        yield
        return
    target = TARGET / f"parse-ahead-{secrets.token_hex(4)}"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet"],
            cwd=DBT_PROJECT_DIR,
            env={
                **os.environ,
                "PSW_WAREHOUSE_PATH": str(published),
                "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
                "DBT_TARGET_PATH": str(target),
                "DBT_LOG_PATH": str(target),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield
        if not lock.stop_requested() and process.wait() == 0:
            keep_parse_state(target / "partial_parse.msgpack", kept)
    finally:
        if process.poll() is None:  # the block failed or was stopped
            process.kill()
            process.wait()
        shutil.rmtree(target, ignore_errors=True)


PARSE_STATES_KEPT = 8


def keep_parse_state(parsed: Path, kept: Path) -> None:
    """Keep a build's parse for the next build of the same warehouse (replaced whole, as
    another process may be reading it), and the most recent few warehouses' only."""
    if not parsed.exists():
        return
    kept.parent.mkdir(parents=True, exist_ok=True)
    scratch = kept.with_name(f"{kept.name}.{secrets.token_hex(4)}")
    shutil.copyfile(parsed, scratch)
    os.replace(scratch, kept)
    states = sorted(
        kept.parent.glob("*.msgpack"), key=lambda path: path.stat().st_mtime, reverse=True
    )
    for old in states[PARSE_STATES_KEPT:]:
        old.unlink(missing_ok=True)
