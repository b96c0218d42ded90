"""Where a number comes from: an indicator value, its formula with the numbers in it, and the
spreadsheet cells that add up to it (`python -m orchestration.cli explain`), read from the
provenance model `marts.fct_indicator_provenance`."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.lib import settings

SHOWN = 10  # contributions listed per term; --all writes every one


class NotFound(Exception):
    """The code, period or scope asked for has no value; the message says what there is."""


@dataclass
class Explanation:
    code: str
    name_zh: str
    name_en: str
    definition: str
    period: str  # YYYY-MM
    scope_type: str
    scope_code: str
    scope_name: str
    value: float
    unit: str
    decimals: int
    rows: list[dict] = field(default_factory=list)  # every contribution
    held_by: str | None = None  # the disclosure rule that keeps the value from the release

    def term(self, name: str) -> list[dict]:
        return [r for r in self.rows if r["term"] == name]

    def total(self, name: str) -> float:
        """The term's sum, each contribution to ten decimals as the warehouse sums them."""
        return math.fsum(round(r["contribution"], 10) for r in self.term(name))

    @property
    def kind(self) -> str:
        terms = {r["term"] for r in self.rows}
        if "ranked_on" in terms:
            return "rank"
        return "ratio" if "denominator" in terms else "sum"

    def rebuilt(self) -> float:
        """The value computed again from the contributions alone."""
        if self.kind == "ratio":
            return self.total("numerator") / self.total("denominator") * 100 + self.total("offset")
        if self.kind == "rank":
            return float(rank_of(self.scope_code, self.rows))
        return self.total("sum")


def rank_of(scope_code: str, rows: list[dict]) -> int:
    """A scope's place: highest first, ties broken by the tie-break where there is one; what
    is still tied shares a place (1, 2, 2, 4)."""
    share = {r["ranked_scope_code"]: r["contribution"] for r in rows if r["term"] == "ranked_on"}
    spend = {r["ranked_scope_code"]: r["contribution"] for r in rows if r["term"] == "tie_break"}

    def key(code: str) -> tuple[float, float]:
        return (share[code], spend.get(code, 0.0))

    return 1 + sum(key(code) > key(scope_code) for code in share)


def parse_scope(words: list[str]) -> tuple[str, str | None]:
    """`district`, `board HTZ`, `board:HTZ` or `board 湖塘镇` -> (scope type, code or name)."""
    if not words:
        return ("district", settings.district_code())
    first, *rest = words
    scope_type, _, code = first.partition(":")
    if scope_type == "district":
        return ("district", settings.district_code())
    return scope_type, (code or " ".join(rest) or None)


def check_code(conn: duckdb.DuckDBPyConnection, code: str) -> None:
    """NotFound, naming the catalogue's codes, unless `code` is one of them."""
    codes = [
        c
        for (c,) in conn.execute(
            "select indicator_code from marts.dim_indicator order by 1"
        ).fetchall()
    ]
    if code not in codes:
        raise NotFound(f"no indicator {code!r}; the codes are {', '.join(codes)}")


def explain(
    conn: duckdb.DuckDBPyConnection, code: str, month: str, scope: tuple[str, str | None]
) -> Explanation:
    """The value and every contribution to it; NotFound names what exists instead, and on the
    release file (which holds no provenance) says so, and whether the value is held."""
    _refuse_the_release(conn, code, month, scope)
    catalogue = conn.execute(
        "select indicator_name_zh, indicator_name_en, definition, decimals "
        "from marts.dim_indicator where indicator_code = ?",
        [code],
    ).fetchone()
    if catalogue is None:
        check_code(conn, code)
    months = [
        m
        for (m,) in conn.execute(
            "select distinct strftime(period, '%Y-%m') from marts.fct_indicator_value "
            "where indicator_code = ? order by 1",
            [code],
        ).fetchall()
    ]
    if month not in months:
        have = f"{months[0]}..{months[-1]}" if months else "none yet"
        raise NotFound(f"{code} has no value for {month}; the months it has: {have}")
    period = f"{month}-01"
    scope_type, wanted = scope
    scopes = conn.execute(
        "select v.scope_type, v.scope_code, coalesce(s.scope_name_zh, v.scope_code), v.value, "
        "v.unit from marts.fct_indicator_value as v left join marts.dim_scope as s "
        "using (scope_type, scope_code) where v.indicator_code = ? and v.period = ? "
        "order by v.scope_type != 'district', v.scope_type, v.scope_code",
        [code, period],
    ).fetchall()
    match = [s for s in scopes if s[0] == scope_type and (wanted is None or wanted in (s[1], s[2]))]
    if len(match) != 1:
        listed = ", ".join(f"{t} {c}" + (f" ({n})" if n != c else "") for t, c, n, _, _ in scopes)
        asked = f"{scope_type} {wanted}" if wanted else scope_type
        raise NotFound(
            f"{code} {month} has {'several scopes' if match else 'no scope'} {asked!r}; "
            f"name one of: {listed}"
        )
    scope_type, scope_code, scope_name, value, unit = match[0]
    cursor = conn.execute(
        "select * from marts.fct_indicator_provenance where indicator_code = ? and period = ? "
        "and scope_type = ? and scope_code = ? "
        "order by term, abs(contribution) desc, source_file, excel_row",
        [code, period, scope_type, scope_code],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    name_zh, name_en, definition, decimals = catalogue
    held = conn.execute(
        "select held_by from marts.fct_indicator_disclosure where indicator_code = ? and "
        "period = ? and scope_type = ? and scope_code = ? and conf_status != 'F'",
        [code, period, scope_type, scope_code],
    ).fetchall()
    return Explanation(
        code,
        name_zh,
        name_en,
        definition,
        month,
        scope_type,
        scope_code,
        scope_name,
        value,
        unit,
        int(decimals),
        rows,
        held[0][0] if held else None,
    )


def held_by(rule: str) -> str:
    """Why disclosure control holds a figure, with its thresholds."""
    rules = settings.disclosure_rules()
    return {
        "threshold": f"fewer than {rules.min_contributors} enterprises contribute",
        "dominance": f"one enterprise contributes more than {rules.dominance_share:.0%}",
        "secondary": "secondary suppression: it would let a held figure be worked out",
    }.get(rule, rule)


def _refuse_the_release(
    conn: duckdb.DuckDBPyConnection, code: str, month: str, scope: tuple[str, str | None]
) -> None:
    """On the release file there is no provenance to explain (it would name respondents'
    cells): say so, and whether the value asked for is held."""
    tables = {
        name
        for (name,) in conn.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "union all select schema_name || '.' || view_name from duckdb_views()"
        ).fetchall()
    }
    if "marts.fct_indicator_provenance" in tables or "release.indicator_value" not in tables:
        return
    scope_type, wanted = scope
    held = conn.execute(
        "select v.scope_code from release.indicator_value as v left join release.scope as s "
        "using (scope_type, scope_code) where v.indicator_code = ? "
        "and strftime(v.period, '%Y-%m') = ? and v.scope_type = ? and v.conf_status != 'F' "
        "and (? is null or ? in (v.scope_code, s.scope_name_zh))",
        [code, month, scope_type, wanted, wanted],
    ).fetchall()
    raise NotFound(
        "this is the release: it holds no provenance (explain works on the bureau's warehouse, "
        "psw.duckdb)"
        + (
            f"; {code} {month} {scope_type} {held[0][0]} is held by disclosure control "
            "(CONF_STATUS C) and is not published"
            if held
            else ""
        )
    )


def _n(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f}"


def _cell_line(row: dict, decimals: int) -> str:
    sign = "−" if row["contribution"] < 0 else "+"
    where = row["cell_address"] or f"{row['source_file']} row {row['excel_row']}"
    shown = ""
    if row["raw_value"] is not None and row["to_raw_factor"]:
        in_file = row["raw_value"] / row["to_raw_factor"]
        shown = f"  (cell: {_n(in_file, 6).rstrip('0').rstrip('.')} {row['file_unit'] or ''})"
    header = f"  {row['header']}" if row["header"] else ""
    return f"  {sign} {_n(abs(row['contribution']), decimals):>16}  {where}{header}{shown}"


def render(e: Explanation) -> str:
    """The explanation as `cli explain` prints it."""
    places = max(e.decimals, 2)
    lines = [
        f"{e.code} {e.name_zh} / {e.name_en}",
        f"{e.period}, {e.scope_name} ({e.scope_type} {e.scope_code}): "
        f"{_n(e.value, places)} {e.unit}",
        f"definition: {e.definition}",
    ]
    if e.held_by:
        lines.append(
            f"CONFIDENTIAL: held from the release ({held_by(e.held_by)}); "
            "the contributions below are for the statistics bureau only"
        )
    if e.kind == "rank":
        lines.append("ranked on each service's share with strong demand (ties: spend):")
        share = {r["ranked_scope_code"]: r["contribution"] for r in e.term("ranked_on")}
        spend = {r["ranked_scope_code"]: r["contribution"] for r in e.term("tie_break")}
        for code in sorted(share, key=lambda c: rank_of(c, e.rows)):
            mark = "  <-" if code == e.scope_code else ""
            lines.append(
                f"  {rank_of(code, e.rows):>3}. {code}  {_n(share[code], 1)} %  "
                f"spend {_n(spend.get(code, 0), 1)} 万元{mark}"
            )
        lines.append(f"rank of {e.scope_code}: {int(e.rebuilt())} = the value {int(e.value)}")
        return "\n".join(lines)
    terms = ["numerator", "denominator"] if e.kind == "ratio" else ["sum"]
    if e.kind == "ratio":
        offset = e.total("offset")
        formula = (
            f"= Σ numerator ÷ Σ denominator × 100{' − 序时进度' if offset else ''}"
            f" = {_n(e.total('numerator'))} ÷ {_n(e.total('denominator'))} × 100"
            + (f" − {_n(-offset)}" if offset else "")
            + f" = {_n(e.rebuilt(), places)} {e.unit}"
        )
    else:
        formula = f"= Σ of {len(e.term('sum'))} contributions = {_n(e.rebuilt(), places)} {e.unit}"
    lines.append(formula)
    for term in terms:
        rows = e.term(term)
        label = "contributions" if term == "sum" else term
        lines.append(f"{label}: {len(rows)} cells, Σ = {_n(e.total(term), places)}, largest first:")
        lines += [_cell_line(r, places) for r in rows[:SHOWN]]
        if len(rows) > SHOWN:
            lines.append(f"  … {len(rows) - SHOWN} more (--all writes every one to CSV)")
    adds_up = math.isclose(e.rebuilt(), e.value, rel_tol=1e-9, abs_tol=1e-6)
    lines.append(
        f"{'they add up to' if adds_up else 'they DO NOT add up to'} the value: "
        f"{_n(e.rebuilt(), places)} {'=' if adds_up else '≠'} {_n(e.value, places)} {e.unit}"
    )
    return "\n".join(lines)


CSV_COLUMNS = (
    "indicator_code",
    "period",
    "scope_type",
    "scope_code",
    "value",
    "unit",
    "term",
    "contribution",
    "cell_address",
    "source_file",
    "sheet",
    "cell",
    "excel_row",
    "header",
    "raw_value",
    "file_unit",
    "to_raw_factor",
    "ranked_scope_code",
)


# What a spreadsheet program takes for the start of a formula in a CSV cell (=, +, -, @, and
# the tab and carriage return that some treat alike): a text cell starting with one is written
# after an apostrophe, so that `=HYPERLINK(…)` in a department's name opens as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A CSV cell as a spreadsheet shows it: text never read as a formula; numbers as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(e: Explanation, path: Path) -> Path:
    """Every contribution, one line each (UTF-8 with a BOM, so that Excel reads the Chinese)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_safe(v) for k, v in row.items()} for row in e.rows)
    return path
