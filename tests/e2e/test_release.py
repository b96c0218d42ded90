"""The release on the samples (`make run`'s): what leaves the bureau holds no respondent's
data, every small or dominated figure is held, no held figure can be worked out from the
released ones, and the June report shows held figures as marks with the footnote."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import run_cli

# Every column the release may hold, table by table: a new column is a reviewed change here.
ALLOWED = {
    "indicator": {
        "indicator_code", "indicator_name_zh", "indicator_name_en", "unit", "source",
        "definition", "required_scopes", "target_rule", "target_value", "target_from_month",
        "target_scope_type", "period_kind", "decimals", "display_unit", "display_decimals",
        "display_factor", "headline_order", "growth_indicator_code", "covers_since_previous",
        "disclosure",
    },
    "scope": {"scope_type", "scope_code", "scope_name_zh", "scope_name_en", "scope_order"},
    "release_calendar": {
        "month_key", "release_at_beijing", "release_at_utc", "drafter", "reviewer", "approver",
    },
    "indicator_value": {
        "indicator_code", "period", "scope_type", "scope_code", "value", "unit",
        "target_value", "target_met", "conf_status",
    },
    "indicator_value_labelled": {
        "indicator_code", "indicator_name_zh", "indicator_name_en", "period", "period_kind",
        "period_label_zh", "first_month_covered", "scope_type", "scope_code", "scope_name_zh",
        "scope_name_en", "value", "unit", "display_value", "display_unit", "display_decimals",
        "value_year_earlier", "display_value_year_earlier", "yoy_change", "yoy_change_unit",
        "target_value",
        "display_target_value", "target_decimals", "target_gap", "target_met", "scope_rank",
        "conf_status",
    },
    "indicator_revision": {
        "indicator_code", "indicator_name_zh", "indicator_name_en", "period", "period_kind",
        "scope_type", "scope_code", "scope_name_zh", "scope_name_en", "unit", "first_value",
        "first_published_at", "current_value", "is_withdrawn", "revision", "display_unit",
        "display_decimals", "first_display_value", "current_display_value",
        "display_revision", "revised_at", "revised_by", "revision_count",
    },
    "source_file": {
        "source", "month", "file_name", "sha256", "outcome", "failed_rules", "loaded_at",
    },
    "quality_note": {"period", "source_name", "rule_id", "note_zh"},
    "release_version": {
        "month_key", "version", "is_current", "release_at_utc", "released_at_utc",
        "approved_by", "approved_at_utc", "drafter", "reviewer", "approver", "folder",
    },
    "release_note": {
        "month_key", "version", "indicator_code", "indicator_name_zh", "indicator_name_en",
        "scope_type", "scope_code", "scope_name_zh", "change", "previous_value",
        "value", "unit", "previous_conf_status", "conf_status", "revised_at",
    },
    "indicator_value_version": {
        "month_key", "version", "indicator_code", "period", "scope_type", "scope_code",
        "value", "unit", "target_value", "target_met", "conf_status",
    },
    "rpt_headline_indicators": {
        "period", "line_number", "indicator_code", "indicator_name_zh", "indicator_name_en",
        "period_label_zh", "display_unit", "display_decimals", "value_month", "value_ytd",
        "value_year_earlier", "yoy_change", "yoy_change_unit", "display_target_value",
        "target_decimals", "target_gap", "target_met", "held_fields",
    },
    "rpt_enterprises_by_scope": {
        "period", "table_scope_type", "is_total", "line_number", "scope_code",
        "scope_name_zh", "scope_name_en", "enterprise_count", "revenue_ytd_yi_yuan",
        "revenue_yoy_pct", "profit_ytd_yi_yuan", "revenue_yoy_rank", "pull_points",
        "contribution_pct", "growth_share_pct", "loss_share_pct", "held_fields",
    },
    "rpt_survey_services": {
        "period", "is_total", "line_number", "service_code", "service_name",
        "demand_rate_pct", "spend_yi_yuan", "demand_rank", "is_key_service", "respondents",
        "held_fields",
    },
}  # fmt: skip
# the tables psw_release.duckdb assembles from the versions (not in a version's Parquet)
ASSEMBLED = ("release_version", "release_note", "indicator_value_version")
# the public facts (key projects and clusters are published by name; the city bureau publishes
# its table of Changzhou's areas), checked for names only
PUBLIC = ("rpt_key_projects", "rpt_clusters", "rpt_city_comparison")
NEVER = re.compile(r"credit_code|enterprise_name|respondent_id|excel_row|cell|source_row|load_id")


@pytest.fixture(scope="module")
def release(make_run) -> Path:
    path = make_run["warehouse"].parent / "release" / "psw_release.duckdb"
    assert path.exists()
    return path


def columns(conn: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    found = defaultdict(set)
    for schema, table, column in conn.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = current_database()"
    ).fetchall():
        found[f"{schema}.{table}"].add(column)
    return found


def test_the_release_holds_only_the_allowed_tables_and_columns(release):
    with duckdb.connect(str(release), read_only=True) as conn:
        found = columns(conn)
        names = conn.execute(
            "select string_agg(column_name, ',') from duckdb_columns() "
            "where database_name = current_database()"
        ).fetchone()[0]
    assert set(found) == {f"release.{t}" for t in (*ALLOWED, *PUBLIC)}
    for table, allowed in ALLOWED.items():
        assert found[f"release.{table}"] == allowed, table
    for table in PUBLIC:
        assert not [c for c in found[f"release.{table}"] if NEVER.search(c)], table
    assert not NEVER.search(names), names


def test_no_enterprise_name_or_credit_code_is_anywhere_in_the_release(release, warehouse):
    """Not as a column, and not as a value in any text column of any table."""
    names, codes = zip(
        *warehouse.execute(
            "select distinct enterprise_name, credit_code from raw.enterprises"
        ).fetchall(),
        strict=True,
    )
    with duckdb.connect(str(release), read_only=True) as conn:
        texts = set()
        for table, cols in columns(conn).items():
            for column in cols:
                texts |= {
                    v
                    for (v,) in conn.execute(
                        f'select distinct "{column}"::varchar from {table}'
                    ).fetchall()
                    if v
                }
    assert not texts & set(names)
    assert not texts & set(codes)
    assert not [t for t in texts if any(code in t for code in codes[:50])]


def test_the_june_parquet_files_are_the_release_tables_of_june(release):
    folder = release.parent / "2025-06" / "v1"
    with duckdb.connect(str(release), read_only=True) as conn:
        for table in set(ALLOWED) - set(ASSEMBLED):
            parquet = conn.execute(
                f"select * from read_parquet('{folder / (table + '.parquet')}')"
            ).fetchall()
            where = (
                "where period = date '2025-06-01'"
                if "period" in ALLOWED[table]
                else ("where month = '2025-06'" if "month" in ALLOWED[table] else "")
            )
            assert sorted(map(repr, parquet)) == sorted(
                map(repr, conn.execute(f"select * from release.{table} {where}").fetchall())
            ), table


def disclosure(warehouse) -> dict[tuple, tuple]:
    return {
        (c, str(p), t, s): (status, value)
        for c, p, t, s, status, value in warehouse.execute(
            "select indicator_code, period, scope_type, scope_code, conf_status, value "
            "from marts.fct_indicator_disclosure"
        ).fetchall()
    }


def test_the_release_has_no_value_of_a_held_figure_and_every_free_one(release, warehouse):
    internal = {
        (c, str(p), t, s): (status, value)
        for c, p, t, s, status, value in warehouse.execute(
            "select indicator_code, period, scope_type, scope_code, conf_status, value "
            "from marts.fct_indicator_value"
        ).fetchall()
    }
    with duckdb.connect(str(release), read_only=True) as conn:
        released = {
            (c, str(p), t, s): (status, value)
            for c, p, t, s, status, value in conn.execute(
                "select indicator_code, period, scope_type, scope_code, conf_status, value "
                "from release.indicator_value"
            ).fetchall()
        }
        labelled = conn.execute(
            "select count(*) from release.indicator_value_labelled where conf_status != 'F' "
            "and (value is not null or display_value is not null or yoy_change is not null "
            "or target_gap is not null or scope_rank is not null)"
        ).fetchone()[0]
    assert released.keys() == internal.keys()
    held = [k for k, (status, _) in internal.items() if status != "F"]
    assert len(held) > 100
    for key, (status, value) in internal.items():
        if status == "F":
            assert released[key] == ("F", value), key
        else:
            assert released[key] == ("C", None), key
    assert labelled == 0


def test_every_small_or_dominated_enterprise_figure_is_held(warehouse):
    """Counted again from the enterprises' rows, apart from the dbt models: every revenue,
    profit and employee figure of fewer than 3 enterprises, or one over 85 %, is held."""
    rows = warehouse.execute(
        """
        with enterprises as (
            select month_date, credit_code, board_code, section_code, pss_code,
                   revenue_ytd_wan_yuan, operating_profit_ytd_wan_yuan, employees
            from marts.fct_enterprise_monthly
        ),
        scoped as (
            select month_date, 'board' as scope_type, board_code as scope_code, * from enterprises
            union all
            select month_date, 'industry_section', section_code, * from enterprises
            union all
            select month_date, 'pss_category', pss_code, * from enterprises
        ),
        figures as (
            unpivot scoped on revenue_ytd_wan_yuan as 'ENT_REV_YTD',
                operating_profit_ytd_wan_yuan as 'ENT_PROFIT_YTD', employees as 'ENT_EMPLOYEES'
            into name indicator_code value amount
        )
        select indicator_code, month_date, scope_type, scope_code,
               count(*) filter (where amount != 0) as contributors,
               max(abs(amount)) / sum(abs(amount)) as largest_share
        from figures
        group by all
        """
    ).fetchall()
    status = disclosure(warehouse)
    small = [r for r in rows if r[4] < 3 or r[5] > 0.85]
    assert len(small) >= 30  # the samples have small cells every month
    for code, month, scope_type, scope_code, _, _ in small:
        assert status[(code, str(month), scope_type, scope_code)][0] == "C", (code, month)
    # the demand survey's purchases: its respondents counted the same way
    spenders = dict(
        warehouse.execute(
            "select service_code, count(*) filter (where spend_wan_yuan != 0) "
            "from marts.fct_survey_demand group by all"
        ).fetchall()
    )
    counted = dict(
        warehouse.execute(
            "select scope_code, contributors from marts.fct_indicator_disclosure "
            "where indicator_code = 'SVY_SPEND' and scope_type = 'survey_service'"
        ).fetchall()
    )
    assert counted == spenders and len(counted) == 12
    # the samples' small cells: section O and category 08 and 10 (few), 嘉泽镇 (one large)
    june = {(r[0], r[2], r[3]) for r in small if str(r[1]) == "2025-06-01"}
    assert {
        ("ENT_REV_YTD", "industry_section", "O"),
        ("ENT_REV_YTD", "pss_category", "08"),
        ("ENT_REV_YTD", "board", "JZZ"),
    } <= june


def test_no_held_figure_can_be_worked_out_from_the_released_ones(warehouse):
    """For every month and additive indicator, apart from the audit: the released figures (the
    district and every board, section and category, each a sum of the enterprises' finest
    cells) do not determine any held one (linear algebra on the finest cells); and the LP
    audit's range of every held figure reaches ±10 % of it."""
    finest = warehouse.execute(
        """
        select month_date, board_code, section_code, pss_code from marts.fct_enterprise_monthly
        group by all
        """
    ).fetchall()
    cells = defaultdict(list)
    for month, board, section, pss in finest:
        cells[str(month)].append({("board", board), ("industry_section", section),
                                  ("pss_category", pss), ("district", "320412")})  # fmt: skip
    status = disclosure(warehouse)
    checked = 0
    for code in ("ENT_REV_YTD", "ENT_PROFIT_YTD", "ENT_EMPLOYEES"):
        for month, scopes in cells.items():
            figures = {k: v for k, v in status.items() if k[0] == code and k[1] == month}

            def row(key, scopes=scopes):
                return np.array([1.0 if (key[2], key[3]) in s else 0.0 for s in scopes])

            released = [row(k) for k, (s, _) in figures.items() if s == "F"]
            rank = np.linalg.matrix_rank(np.array(released))
            for key, (state, _) in figures.items():
                if state != "F":
                    checked += 1
                    assert np.linalg.matrix_rank(np.array([*released, row(key)])) > rank, key
    assert checked > 100
    # a year to date is last month's plus the month's: never both released beside a held one
    for (code, month, scope_type, scope_code), (state, _) in status.items():
        if code == "ENT_REV_YTD" and state != "F" and not month.endswith("-01-01"):
            before = f"{month[:5]}{int(month[5:7]) - 1:02d}-01"
            tied = [
                status.get(("ENT_REV_YTD", before, scope_type, scope_code)),
                status.get(("ENT_REV_MONTH", month, scope_type, scope_code)),
            ]
            assert not all(t is not None and t[0] == "F" for t in tied), (month, scope_code)
    failing = warehouse.execute(
        """
        select count(*) from marts.fct_indicator_disclosure
        where conf_status != 'F' and not (
            audit_upper >= value + 0.1 * abs(value) - 1e-6
            and audit_lower <= value - 0.1 * abs(value) + 1e-6 and audit_upper > audit_lower)
        """
    ).fetchone()[0]
    assert failing == 0


def test_the_june_report_shows_held_figures_as_marks_with_the_footnote(make_run, warehouse):
    import openpyxl

    folder = make_run["warehouse"].parent / "reports" / "2025-06"
    if not folder.exists():
        result = run_cli("report", "--month", "2025-06", env=make_run["env"])
        assert result.returncode == 0, result.stderr
    workbook = next(folder.glob("*.xlsx"))
    analysis = next(folder.glob("*.html")).read_text(encoding="utf-8")
    held = warehouse.execute(
        """
        select d.scope_type, s.scope_name_zh, round(d.value / 10000, 2)
        from marts.fct_indicator_disclosure as d
        join marts.dim_scope as s using (scope_type, scope_code)
        where d.indicator_code = 'ENT_REV_YTD' and d.period = date '2025-06-01'
          and d.conf_status != 'F'
        """
    ).fetchall()
    assert held
    book = openpyxl.load_workbook(workbook, read_only=True)
    sheets = {"board": "分板块", "industry_section": "分行业门类", "pss_category": "分类别"}
    for scope_type, name, value in held:
        rows = [r for r in book[sheets[scope_type]].iter_rows(values_only=True) if r[0] == name]
        assert len(rows) == 1, name
        assert rows[0][2] == "…", (name, rows[0])
        assert value not in rows[0] and f"{value:,.2f}" not in map(str, rows[0]), name
        # the analysis page: the row's revenue cell is the mark, never the figure
        row = re.search(rf"<tr[^>]*><td>{re.escape(name)}</td>(.*?)</tr>", analysis)
        assert row and f"{value:,.2f}" not in row.group(1), name
        assert re.findall(r'<td class="n">([^<]*)</td>', row.group(1))[1] == "…", name
    notes = [r[0] for r in book["分板块"].iter_rows(values_only=True) if r[0]]
    assert any("“…”表示该数据涉及企业过少" in n for n in notes)
    assert "“…”表示该数据涉及企业过少" in analysis
    assert "增速不予公布" in analysis


def test_explain_on_the_release_says_it_holds_no_provenance(make_run):
    env = make_run["env"]
    asked = ("explain", "ENT_REV_YTD", "2025-06", "board", "JZZ")
    internal = run_cli(*asked, env=env)
    assert internal.returncode == 0, internal.stderr
    assert "CONFIDENTIAL: held from the release" in internal.stdout
    released = run_cli(*asked, "--warehouse", "release", env=env)
    assert released.returncode == 1
    assert "this is the release: it holds no provenance" in released.stderr
    assert "is held by disclosure control" in released.stderr


def test_query_opens_the_release_unless_told_otherwise(make_run):
    env = make_run["env"]
    sql = "select count(*) as n from release.indicator_value where conf_status = 'C'"
    result = run_cli("query", sql, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("-- ") and "psw_release.duckdb (the release" in result.stdout
    internal = run_cli(
        "query",
        "select count(*) from marts.fct_enterprise_monthly",
        env=env | {"PSW_QUERY_WAREHOUSE": "internal"},
    )
    assert internal.returncode == 0 and "internal warehouse" in internal.stdout
    microdata = run_cli("query", "select count(*) from marts.fct_enterprise_monthly", env=env)
    assert microdata.returncode == 1 and "does not exist" in microdata.stderr


# --- the release cycle on the samples (issue 29) -------------------------------------------

MONTHS = [f"2025-{m:02d}" for m in range(1, 10)]


def test_make_run_released_every_month_at_its_past_time_with_its_approval(make_run, release):
    """The samples' set-up approved each draft as its calendar's 审签; every month then went
    out as version 1, after its time on the calendar (15th of the next month at 10:00 Beijing
    time, or the date the calendar sets)."""
    with duckdb.connect(str(release), read_only=True) as conn:
        versions = conn.execute(
            "select month_key, version, is_current, release_at_utc, released_at_utc, "
            "approved_by, approver, folder from release.release_version order by month_key"
        ).fetchall()
        calendar = dict(
            conn.execute(
                "select month_key, release_at_utc from release.release_calendar"
            ).fetchall()
        )
        months = [m for (m,) in conn.execute(
            "select distinct strftime(period, '%Y-%m') from release.indicator_value order by 1"
        ).fetchall()]  # fmt: skip
    assert [v[0] for v in versions] == MONTHS == months
    for month, version, current, release_at, released_at, by, approver, folder in versions:
        assert (version, current, folder) == (1, True, f"{month}/v1")
        assert release_at == calendar[month] and released_at >= release_at
        assert by == approver == "张三"
    # the calendar's own dates: June one day later, January after the Spring Festival
    assert str(calendar["2025-06"]) == "2025-07-16 02:00:00"
    assert str(calendar["2025-03"]) == "2025-04-15 02:00:00"
    out = make_run["first"].stdout
    assert "samples' sign-off (PSW_SAMPLE_SIGNOFF=1)" in out
    assert "2025-06  released v1 (release time 2025-07-16 10:00, approved by 张三" in out
    # the second run found nothing new to approve or release
    assert "samples' sign-off" not in make_run["second"].stdout
    assert "2025-06  released v1" in make_run["second"].stdout


def test_every_version_folder_is_sealed_with_its_files_hashes(release):
    import hashlib
    import json

    for month in MONTHS:
        folder = release.parent / month / "v1"
        manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
        assert (manifest["month"], manifest["version"], manifest["approved_by"]) == (
            month, 1, "张三",
        )  # fmt: skip
        files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {
            "release.json"
        }
        assert set(manifest["files"]) == files
        for name, digest in manifest["files"].items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    # nothing of a draft reaches the release folder
    assert not list(release.parent.rglob("*draft*"))
    assert not list(release.parent.rglob(".*partial*"))


def test_the_released_report_carries_the_signatures_and_the_release_time(release, make_run):
    from python_calamine import CalamineWorkbook

    folder = release.parent / "2025-09" / "v1" / "report"
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    line = "撰稿：陈静　审核：李强　审签：张三　发布时间：2025年10月17日 10:00（第1版）"
    assert f'<p class="signoff">{line}</p>' in html
    book = CalamineWorkbook.from_path(str(next(folder.glob("*.xlsx"))))
    first = book.get_sheet_by_index(0).to_python()
    assert any(line in str(cell) for row in first for cell in row)
    # the bureau's copy, written from the draft, says it is one
    draft = make_run["warehouse"].parent / "reports" / "2025-09"
    text = next(draft.glob("*.html")).read_text(encoding="utf-8")
    assert "计划发布时间：2025年10月17日 10:00（草稿，未经审签，不得对外发布）" in text


DIMENSIONS = ("INDICATOR", "SCOPE_TYPE", "SCOPE", "TIME_PERIOD")


def _id(value) -> str:
    """A code as its id (sdmx1 gives codes from SDMX-ML, strings from SDMX-CSV)."""
    return str(getattr(value, "id", value))


def sdmx_observations(folder: Path) -> tuple[dict, dict]:
    """The version's SDMX data as sdmx1 (a second, independent reader) reads it, from the
    SDMX-ML and from the SDMX-CSV: {(indicator, scope type, scope id): (value, OBS, CONF)}."""
    import sdmx

    structure = sdmx.read_sdmx(folder / "structure.xml")
    flow = structure.dataflow["DF_PSW_INDICATOR"]
    read = {}
    for name in ("data.xml", "data.csv"):
        message = sdmx.read_sdmx(folder / name, structure=flow.structure)
        (dataset,) = message.data
        read[name] = {
            tuple(_id(o.dimension[d].value) for d in DIMENSIONS): (
                None if o.value in (None, "") else float(o.value),
                _id(o.attached_attribute["OBS_STATUS"].value),
                _id(o.attached_attribute["CONF_STATUS"].value),
            )
            for o in dataset.obs
        }
    return read["data.xml"], read["data.csv"]


def test_the_sdmx_files_validate_and_sdmx1_reads_back_every_released_value(release):
    from pysdmx.io.xml.doc_validation import validate_doc

    from orchestration.lib.release.sdmx import scope_id

    with duckdb.connect(str(release), read_only=True) as conn:
        rows = conn.execute(
            "select strftime(period, '%Y-%m'), indicator_code, scope_type, scope_code, value, "
            "conf_status from release.indicator_value"
        ).fetchall()
    for month in MONTHS:
        folder = release.parent / month / "v1" / "sdmx"
        for name in ("structure.xml", "data.xml"):
            validate_doc((folder / name).read_text(encoding="utf-8"))  # raises when invalid
        from_xml, from_csv = sdmx_observations(folder)
        expected = {
            (code, kind, scope_id(kind, scope), m): (value, "A", status)
            for m, code, kind, scope, value, status in rows
            if m == month
        }
        assert from_xml == expected, month
        assert from_csv == expected, month
    # the held figures are there, without a value, CONF_STATUS C
    assert any(v is None and c == "C" for v, _, c in from_xml.values())
    # a code that is not ASCII has its declared id and keeps its Chinese name
    assert ("ZONE_COUNT", "zone_level", "ZONE_PROV", "2025-09") in from_xml
    structure = (release.parent / "2025-09" / "v1" / "sdmx" / "structure.xml").read_text(
        encoding="utf-8"
    )
    assert re.search(
        r'<str:Code id="ZONE_PROV">\s*<com:Name xml:lang="en">provincial clusters</com:Name>\s*'
        r'<com:Name xml:lang="zh">省级集聚区</com:Name>',
        structure,
    )


def test_release_status_prints_each_months_state(make_run):
    result = run_cli("release", "status", env=make_run["env"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line[:7] for line in lines] == MONTHS
    assert all("released v1 (release time" in line for line in lines)
    refused = run_cli("release", "approve", "2025-13", "--by", "张三", env=make_run["env"])
    assert refused.returncode == 2 and "approve needs the month" in refused.stderr
