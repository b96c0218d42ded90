"""A file delivered again unchanged keeps the verdict its validation gave: not read and not
validated a second time, when nothing that verdict rests on has changed.

A verdict rests on the file's name and bytes, on the reader and the rules (the source's declaration,
the rule catalogue and every expectation of its suites, with the code lists they hold), and
on what the rules compare the file with: last month's file (G6, G7, G9) and, for events with
an identity, the year's other files (G10). All of it is one key, written with the verdict in
raw.load_log (`validated_with`, `findings`); a later load of the same file finds the key and
reuses what was found and checked. Anything changed (a correction of last month, a new psw
with another rule) makes another key, and the file is read and validated again."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import cache
from pathlib import Path

import duckdb

from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.files import AmbiguousDelivery, delivery_for, file_sha256
from orchestration.lib.delivery.problems import Problem, RuleResult
from orchestration.lib.delivery.sources import Source
from orchestration.lib.loading.outcome import UNCHANGED, LoadOutcome
from orchestration.lib.loading.writes import CURRENT, loaded_sha256
from orchestration.lib.periods import month_before


@cache
def rules_fingerprint(source: Source) -> str:
    """The reader's declaration, the rule catalogue and every expectation of the source's
    suites (GX is imported here, once a process)."""
    from orchestration.lib.validation.suites import suite_for

    suites = [[e.configuration.to_json_dict() for e in suite_for(part)] for part in source.sheets]
    rules = sorted((r.id, r.severity, r.text) for r in catalogue().values())
    text = json.dumps([repr(source), rules, suites], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _current_files(conn: duckdb.DuckDBPyConnection, source: Source, months: str) -> list:
    union = " union all ".join(
        f"select '{part.name}' as part, month, any_value(source_sha256) as sha256 "
        f"from {part.table} where ({months}) and {CURRENT} group by month"
        for part in source.sheets
    )
    return conn.execute(f"select * from ({union}) order by all").fetchall()


def verdict_key(
    conn: duckdb.DuckDBPyConnection, source: Source, month: str, name: str, sha256: str
) -> str:
    """What a verdict on the month's file rests on, as one key: its name too (the same bytes
    as an .xlsm, or under another month's name, are another delivery)."""
    compared = f"month = '{month_before(month)}'"
    if any(part.identity for part in source.sheets):  # G10 reads the year's other months
        compared += f" or (month like '{month[:4]}-%' and month != '{month}')"
    context = _current_files(conn, source, compared)
    text = json.dumps([name, sha256, rules_fingerprint(source), context], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def findings(outcome: LoadOutcome) -> str:
    """What validation found and checked, to be kept with the attempt."""
    return json.dumps(
        {
            "problems": [dataclasses.asdict(p) for p in outcome.problems],
            "checked": [dataclasses.asdict(r) for r in outcome.checked],
            "sheets": [parsed.sheet for parsed in outcome.sheets] or outcome.sheet_names,
        },
        ensure_ascii=False,
    )


def kept_verdict(
    conn: duckdb.DuckDBPyConnection, raw_dir: Path, source: Source, month: str
) -> LoadOutcome | None:
    """The month's file as unchanged, with the verdict it was given, where it is the month's
    current file and nothing its verdict rests on has changed; None otherwise (read it)."""
    try:
        delivery = delivery_for(raw_dir, source.name, month)
    except AmbiguousDelivery:
        return None
    if delivery is None or not source.expects(month):
        return None
    sha256 = file_sha256(delivery.path)
    if loaded_sha256(conn, source, month) != sha256:
        return None
    key = verdict_key(conn, source, month, delivery.path.name, sha256)
    row = conn.execute(
        "select findings, rows_read from raw.load_log where validated_with = ? "
        "and findings is not null order by finished_at desc limit 1",
        [key],
    ).fetchone()
    if row is None:
        return None
    found = json.loads(row[0])
    rows = {
        part.name: conn.execute(
            f"select count(*) from {part.table} where month = ? and {CURRENT}", [month]
        ).fetchone()[0]
        for part in source.sheets
    }
    return LoadOutcome(
        source.name,
        month,
        UNCHANGED,
        file=delivery.path,
        sha256=sha256,
        rows_read=row[1] or 0,
        rows_in_warehouse=sum(rows.values()),
        rows_by_sheet=rows,
        problems=[Problem(**{**p, "rows": tuple(p["rows"])}) for p in found["problems"]],
        checked=[RuleResult(**r) for r in found["checked"]],
        sheet_names=found["sheets"],
        validated_with=key,
        kept_from_earlier=True,
    )
