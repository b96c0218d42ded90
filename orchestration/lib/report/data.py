"""A month's report as data: its tables, the series its charts draw, its data-quality notes
and the files behind it, read from the release (`release.*`: the release file, or the same
schema in the bureau's warehouse), so that it can never show what the release does not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from orchestration.lib.delivery.cadence import is_expected
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.report.tables import REVISIONS, SPECS, Table, TableSpec


class NoReportData(Exception):
    """The warehouse has no indicators for the month asked for."""


@dataclass(frozen=True)
class SourceFile:
    source_title: str
    month: str
    file_name: str
    sha256: str
    loaded_at: dt.datetime


@dataclass(frozen=True)
class Signoff:
    """Who signs the month's release (撰稿 / 审核 / 审签) and when it goes out: the release
    version's record in a released file; the calendar's names and time in a draft."""

    drafter: str | None
    reviewer: str | None
    approver: str | None
    release_at: dt.datetime | None  # Beijing time
    version: int | None  # None: a draft, not released

    def line(self) -> str:
        names = "　".join(
            f"{role}：{name or '—'}"
            for role, name in (
                ("撰稿", self.drafter), ("审核", self.reviewer), ("审签", self.approver)
            )
        )  # fmt: skip
        when = f"{self.release_at:%Y年%-m月%-d日 %H:%M}" if self.release_at else "—"
        if self.version is None:
            return f"{names}　计划发布时间：{when}（草稿，未经审签，不得对外发布）"
        return f"{names}　发布时间：{when}（第{self.version}版）"


def signoff(conn: duckdb.DuckDBPyConnection, month: str) -> Signoff:
    """The released version's sign-off where the file has one, else the calendar's."""
    has_versions = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = 'release' "
        "and table_name = 'release_version'"
    ).fetchone()[0]
    if has_versions:
        row = conn.execute(
            """
            select drafter, reviewer, approved_by, release_at_utc + interval 8 hour, version
            from release.release_version where month_key = ? and is_current
            """,
            [month],
        ).fetchone()
        if row:
            return Signoff(*row)
    row = conn.execute(
        "select drafter, reviewer, approver, release_at_beijing from release.release_calendar "
        "where month_key = ?",
        [month],
    ).fetchone()
    return Signoff(*(row or (None, None, None, None)), version=None)


@dataclass
class Report:
    month: str  # YYYY-MM
    period: dt.date
    tables: dict[str, Table]
    growth_by_month: list[tuple[str, float, float | None]]  # (月, ENT_REV_YOY, target)
    # (月, 1-本月营业收入 亿元, 上年同期 亿元 or None): this year's months beside last year's
    revenue_by_month: list[tuple[str, float, float | None]] = field(default_factory=list)
    # every indicator value of the month, by (indicator, scope type, scope code)
    values: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    quality_notes: list[str] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    signoff: Signoff | None = None
    # each indicator's target rule (fixed, time_schedule, year_share): 目标 or 序时目标
    target_rules: dict[str, str] = field(default_factory=dict)

    @property
    def month_number(self) -> int:
        return self.period.month

    @property
    def ytd_label(self) -> str:
        return period_label("ytd", self.period)

    @property
    def month_label(self) -> str:
        return period_label("month", self.period)

    def value(self, code: str, scope_type: str = "district", scope_code: str | None = None):
        """The display value of an indicator this month (None where there is none)."""
        row = self.row(code, scope_type, scope_code)
        return None if row is None else row["display_value"]

    def row(self, code: str, scope_type: str = "district", scope_code: str | None = None):
        if scope_code is None:
            return next(
                (r for (c, t, _), r in self.values.items() if c == code and t == scope_type),
                None,
            )
        return self.values.get((code, scope_type, scope_code))

    def scopes(self, code: str, scope_type: str) -> list[dict]:
        """Every released scope of a type for an indicator, highest value first."""
        rows = [
            r
            for (c, t, _), r in self.values.items()
            if c == code and t == scope_type and r["value"] is not None
        ]
        return sorted(rows, key=lambda r: (-r["value"], r["scope_code"]))

    def held(self, code: str, scope_type: str) -> list[dict]:
        """The scopes of a type whose figure disclosure control holds."""
        return [
            r
            for (c, t, _), r in self.values.items()
            if c == code and t == scope_type and r["conf_status"] != "F"
        ]


def _records(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _table(conn: duckdb.DuckDBPyConnection, spec: TableSpec, period: dt.date) -> Table | None:
    where, params = ["period = ?"], [period]
    if spec.period == "wave":
        waves = conn.execute(
            f"select max(period) from release.{spec.model} where period <= ?", [period]
        ).fetchone()
        if waves[0] is None:
            return None
        params = [waves[0]]
    if spec.filter_column:
        where.append(f"{spec.filter_column} = ?")
        params.append(spec.filter_value)
    rows = _records(
        conn,
        f"select * from release.{spec.model} where {' and '.join(where)} order by line_number",
        params,
    )
    if not rows:
        return None
    label = period_label(spec.period, rows[0]["period"])
    total = next((r for r in rows if r.get("is_total")), None)
    subtotals = [r for r in rows if r.get("is_subtotal")]
    body = [r for r in rows if not r.get("is_total") and not r.get("is_subtotal")]
    return Table(spec, label, body, total, subtotals)


def period_label(kind: str, period: dt.date) -> str:
    """The period as the bureau writes it: 2025年1-6月 (ytd; January: 2025年1月), 2025年6月
    (month), 2025年上半年 (wave)."""
    if kind == "wave":
        return f"{period.year}年{'上' if period.month <= 6 else '下'}半年"
    if kind == "month" or period.month == 1:
        return f"{period.year}年{period.month}月"
    return f"{period.year}年1-{period.month}月"


def load_report(conn: duckdb.DuckDBPyConnection, month: str) -> Report:
    """Everything the month's workbook and analysis show, from one warehouse connection."""
    period = dt.date(int(month[:4]), int(month[5:7]), 1)
    tables = {}
    for spec in SPECS:
        table = _table(conn, spec, period)
        if table is not None:
            tables[spec.key] = table
    revisions = revised_figures(conn, period)
    if revisions.rows:
        tables[REVISIONS.key] = revisions
    if "headline" not in tables:
        latest = conn.execute("select max(period) from release.rpt_headline_indicators").fetchone()
        raise NoReportData(
            f"the warehouse has no indicators for {month}"
            + (f" (the latest month is {latest[0]:%Y-%m})" if latest[0] else "")
        )
    # the year month by month: revenue's growth and target, its YTD and last year's
    by_month = conn.execute(
        """
        select strftime(period, '%-m') || '月', indicator_code, value_ytd,
               if(indicator_code = 'ENT_REV_YOY', display_target_value, value_year_earlier)
        from release.rpt_headline_indicators
        where indicator_code in ('ENT_REV_YOY', 'ENT_REV_YTD') and year(period) = ?
            and period <= ?
        order by period
        """,
        [period.year, period],
    ).fetchall()
    growth = [(m, v, t) for m, code, v, t in by_month if code == "ENT_REV_YOY"]
    revenue = [(m, v, e) for m, code, v, e in by_month if code == "ENT_REV_YTD"]
    values = _records(
        conn, "select * from release.indicator_value_labelled where period = ?", [period]
    )
    return Report(
        month=month,
        period=period,
        tables=tables,
        growth_by_month=[(m, v, t) for m, v, t in growth if v is not None],
        revenue_by_month=[(m, v, e) for m, v, e in revenue if v is not None],
        values={(r["indicator_code"], r["scope_type"], r["scope_code"]): r for r in values},
        quality_notes=quality_notes(conn, month)
        + (
            [f"修订：{len(revisions.rows)}项前期数据经更正后与首次发布不同，见“数据修订”表。"]
            if revisions.rows
            else []
        ),
        files=source_files(conn, period),
        signoff=signoff(conn, month),
        target_rules=dict(
            conn.execute(
                "select indicator_code, target_rule from release.indicator "
                "where target_rule is not null"
            ).fetchall()
        ),
    )


def revised_figures(conn: duckdb.DuckDBPyConnection, period: dt.date) -> Table:
    """The figures of months before the report's that a correction revised."""
    rows = _records(
        conn,
        """
        select *, coalesce(scope_name_zh, scope_code) as scope_name_zh,
               strftime(revised_at, '%Y-%m-%d %H:%M') as revised_at_text
        from release.indicator_revision
        where period < ?
        order by period, indicator_code, scope_type != 'district', scope_type, scope_code
        """,
        [period],
    )
    for row in rows:
        row["period_label_zh"] = period_label(row["period_kind"], row["period"])
    return Table(REVISIONS, period_label("month", period), rows)


TITLES = {source.name: source.title_zh for source in SOURCES.values()}


def quality_notes(conn: duckdb.DuckDBPyConnection, month: str) -> list[str]:
    """The month's rejected files, warnings and skipped files, and the sources not in yet."""
    log = conn.execute(
        """
        select source, file_name, outcome, failed_rules
        from release.source_file
        where month = ? or (month is null and outcome = 'skipped')
        order by loaded_at
        """,
        [month],
    ).fetchall()
    notes = []
    accepted = set()
    for source, file_name, outcome, rules in log:
        title = TITLES.get(source, source)
        if outcome in ("loaded", "unchanged"):
            accepted.add(source)
            if rules:
                notes.append(f"提示：{title}（{file_name}）有需核实的数据（规则 {rules}）。")
        elif outcome == "rejected":
            notes.append(f"退回：{title}（{file_name}）未通过校验（规则 {rules}），未入库。")
        elif outcome == "skipped" and file_name:
            notes.append(f"未读取：{file_name}（文件名或位置不符合报送约定）。")
    for source in SOURCES.values():
        if is_expected(source.name, month) and source.name not in accepted:
            notes.append(f"缺报：{month[:4]}年{int(month[5:])}月{source.title_zh}尚未入库。")
    notes += [  # the checks made after the build (the city's figures against psw's own)
        note
        for (note,) in conn.execute(
            "select note_zh from release.quality_note where period = ? "
            "order by source_name, rule_id, note_zh",
            [f"{month}-01"],
        ).fetchall()
    ]
    return list(dict.fromkeys(notes))  # a file loaded, then found unchanged: said once


def source_files(conn: duckdb.DuckDBPyConnection, period: dt.date) -> list[SourceFile]:
    """The file each month of the year up to the report's month was last loaded from."""
    rows = conn.execute(
        """
        select source, month, file_name, sha256, loaded_at
        from release.source_file
        where outcome = 'loaded' and month between ? and ?
        qualify row_number() over (partition by source, month order by loaded_at desc) = 1
        order by month, source
        """,
        [f"{period.year}-01", f"{period:%Y-%m}"],
    ).fetchall()
    return [SourceFile(TITLES.get(s, s), m, f, h, at) for s, m, f, h, at in rows]
