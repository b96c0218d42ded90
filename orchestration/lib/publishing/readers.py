"""The published warehouse, read-only: the query sandbox, and the files it has loaded."""

from __future__ import annotations

from pathlib import Path

import duckdb


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
