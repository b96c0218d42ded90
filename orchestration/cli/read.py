"""The commands that read the published warehouse: the summary `make run` ends with,
`make query`, `asof` and `explain`."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path

import duckdb

from orchestration.cli.terminal import cell, shown, width
from orchestration.lib import settings
from orchestration.lib.provenance import explain as provenance
from orchestration.lib.publishing import readers

HEADLINE = (
    "ENT_COUNT",
    "ENT_REV_YTD",
    "ENT_REV_YOY",
    "ENT_STAR_COUNT",
    "PRJ_COUNT",
    "PRJ_PLAN_YEAR",
    "PRJ_INV_YTD",
    "PRJ_INV_RATE",
    "PRJ_START_RATE",
    "ZONE_COUNT",
    "ZONE_REV_YTD",
    "SVY_RESPONDENTS",
)


def summary(warehouse: str) -> str:
    """The latest month's headline indicators as the report writes them: Chinese first, the
    period as the bureau labels it, money in 亿元, and every scope that missed a target."""
    with readers.open_published(Path(warehouse)) as conn:
        if not conn.execute(
            "select 1 from duckdb_tables() "
            "where schema_name = 'marts' and table_name = 'fct_indicator_value_labelled'"
        ).fetchall():
            return "武进区生产性服务业主要指标：尚无指标 / no indicators have been built yet"
        rows = conn.execute(
            """
            select indicator_code, indicator_name_zh, period_label_zh, scope_type,
                   scope_name_zh, display_value, display_unit, display_decimals,
                   display_target_value, target_decimals, target_met, period
            from marts.fct_indicator_value_labelled
            where period = (select max(period) from marts.fct_indicator_value_labelled as l
                            where l.indicator_code = fct_indicator_value_labelled.indicator_code)
              and list_contains(?, indicator_code)
            order by list_position(?, indicator_code), scope_type != 'district', scope_name_zh
            """,
            [list(HEADLINE), list(HEADLINE)],
        ).fetchall()
    latest = max((row[-1] for row in rows), default=None)
    title = (
        f"武进区生产性服务业主要指标（{latest:%Y年%-m月}）"
        if latest
        else "武进区生产性服务业主要指标"
    )
    lines = [
        title,
        cell("指标", 26)
        + cell("期间", 14)
        + cell("数值", 12, True)
        + "  "
        + cell("单位", 6)
        + cell("目标", 10, True)
        + "  达标",
    ]
    missed = []
    for (
        _code,
        name,
        label,
        scope,
        scope_name,
        value,
        unit,
        decimals,
        target,
        places,
        met,
        _,
    ) in rows:
        if scope != "district":
            if met is False:
                missed.append(
                    f"  {name}（{scope_name}，{label}）：{shown(value, decimals)} {unit}，"
                    f"目标 {shown(target, places)} {unit}"
                )
            continue
        shown_met = "" if met is None else ("是" if met else "否")
        lines.append(
            cell(name, 26)
            + cell(label, 14)
            + cell(shown(value, decimals), 12, True)
            + "  "
            + cell(unit, 6)
            + cell(shown(target, places), 10, True)
            + f"  {shown_met}"
        )
        if met is False:
            missed.insert(0, f"  {name}（武进区，{label}）")
    if missed:
        lines += ["未达目标 / targets missed:", *missed]
    return "\n".join(line.rstrip() for line in lines)


def query(warehouse: Path, sql: str, label: str = "") -> int:
    """Run an analyst's SQL on the published warehouse or the release, read-only and
    sandboxed, within a time and a memory bound (settings.query_bounds); the answer starts
    with the file it is from (and `label`, what that file is); a SQL error, or a query stopped
    at a bound, is one line, not a traceback."""
    try:
        seconds, memory = settings.query_bounds()
    except ValueError as error:
        print(f"psw: {error}", file=sys.stderr)
        return 2
    try:
        with readers.open_published(warehouse, memory_limit=memory) as conn:
            timer = threading.Timer(seconds, conn.interrupt)
            timer.start()
            try:
                relation = conn.sql(sql)
                print(f"-- {warehouse}" + (f" ({label})" if label else ""), flush=True)
                if relation is not None:
                    relation.show(max_rows=200, max_width=200)
            finally:
                timer.cancel()
    except duckdb.InterruptException:
        print(
            f"query stopped: it ran past {seconds:g} s (PSW_QUERY_SECONDS sets the bound)",
            file=sys.stderr,
        )
        return 1
    except duckdb.OutOfMemoryException:
        print(
            f"query stopped: it needed more than {memory} of memory (PSW_QUERY_MEMORY sets "
            "the bound)",
            file=sys.stderr,
        )
        return 1
    except duckdb.Error as error:
        print(f"query failed: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    return 0


def parse_as_of(text: str) -> dt.datetime:
    """A time in UTC (naive, as the warehouse keeps times) from `2025-07-10`, `2025-07-10
    12:00` or `2025-07-10T12:00+08:00`; a date alone means the end of that day."""
    text = text.strip()
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if len(text) == len("2025-07-10"):
        moment += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return moment


def asof(warehouse: Path, when: str, indicator: str | None) -> int:
    """`cli asof TIME [--indicator CODE]`: the indicator values as they were published at a
    time (marts.indicator_value_as_of), one line each."""
    try:
        at = parse_as_of(when)
    except ValueError:
        print(
            f"psw: {when!r} is not a time: write 2025-07-10, '2025-07-10 12:00' or "
            "'2025-07-10T12:00+08:00'",
            file=sys.stderr,
        )
        return 2
    with readers.open_published(warehouse) as conn:
        if indicator is not None:
            try:
                provenance.check_code(conn, indicator)
            except provenance.NotFound as error:
                print(f"psw: {error}", file=sys.stderr)
                return 1
        publication = conn.execute(
            "select run_id, published_at from raw.publications where published_at <= ? "
            "order by published_at desc limit 1",
            [at],
        ).fetchone()
        rows = conn.execute(
            """
            select v.indicator_code, strftime(v.period, '%Y-%m'), v.scope_type, v.scope_code,
                   round(v.value, c.decimals), c.decimals, v.unit, v.valid_from
            from marts.indicator_value_as_of(?) as v
            join marts.dim_indicator as c using (indicator_code)
            where ? is null or v.indicator_code = ?
            order by v.indicator_code, v.period, v.scope_type != 'district', v.scope_type,
                     v.scope_code
            """,
            [at, indicator, indicator],
        ).fetchall()
    stamp = f"{at:%Y-%m-%d %H:%M:%S} UTC"
    if publication is None or not rows:
        for_code = f" for {indicator}" if indicator else ""
        print(f"psw: nothing was published by {stamp}{for_code}", file=sys.stderr)
        return 1
    print(
        f"指标值（{stamp} 时已发布） / indicator values as published at {stamp}: "
        f"the warehouse of {publication[1]:%Y-%m-%d %H:%M:%S} UTC (run {publication[0][:8]})"
    )
    header = ["indicator", "period", "scope", "value", "unit", "published (UTC)"]
    table = [
        [
            code,
            month,
            f"{scope_type} {scope_code}",
            f"{value:,.{places}f}",
            unit,
            f"{at_:%Y-%m-%d %H:%M:%S}",
        ]
        for code, month, scope_type, scope_code, value, places, unit, at_ in rows
    ]
    widths = [max(width(line[i]) for line in [header, *table]) for i in range(len(header))]
    for line in [header, *table]:
        print(
            "  ".join(
                cell(text, width, right=i == 3)
                for i, (text, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
    return 0


def explain(warehouse: Path, words: list[str], all_to: str | None) -> int:
    """`cli explain CODE YYYY-MM [SCOPE_TYPE [CODE]] [--all [CSV]]`: where a value comes from."""
    code, month, *scope = words
    try:
        with readers.open_published(warehouse) as conn:
            explained = provenance.explain(conn, code, month, provenance.parse_scope(scope))
    except provenance.NotFound as error:
        print(f"psw: {error}", file=sys.stderr)
        return 1
    print(provenance.render(explained))
    if all_to is not None:
        name = f"{code}_{month}_{explained.scope_type}_{explained.scope_code}.csv"
        path = Path(all_to) if all_to else warehouse.parent / "explain" / name
        print(f"every contribution: {provenance.write_csv(explained, path)}")
    return 0


def reported_months(warehouse: Path) -> list[str]:
    """The months the published warehouse has headline indicators for, in order."""
    with readers.open_published(warehouse) as conn:
        try:
            rows = conn.execute(
                "select distinct strftime(period, '%Y-%m') as month "
                "from release.rpt_headline_indicators order by month"
            ).fetchall()
        except duckdb.CatalogException:
            return []
    return [month for (month,) in rows]
