"""The bureau's analysis (issue 30): 拉动 and 贡献率 by section, category and board, 增长面,
亏损面 and the losses, profit growth, and the district in the city, each checked against a
computation of its own from the sample spreadsheets (read cell by cell here, not by psw)."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import RAW
from python_calamine import CalamineWorkbook

REFERENCE = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
DISTRICT = ("district", "320412")
BREAKDOWNS = ("industry_section", "pss_category", "board")


def figure(cell) -> float | None:
    """A cell as the department meant it: text with separators, full-width digits, spaces."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = unicodedata.normalize("NFKC", str(cell)).replace(",", "").strip()
    return float(text) if text else None


def reference(name: str) -> list[dict]:
    with open(REFERENCE / f"ref_{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sample_enterprises() -> dict[str, list[dict]]:
    """Every enterprise row of every sample file, by month ('2025-MM'), in 万元."""
    sections = [
        (r["section_code"], r["division_from"], r["division_to"])
        for r in reference("gbt4754_sections")
    ]
    boards = {r["board_name"]: r["board_code"] for r in reference("boards")}
    months = {}
    for path in sorted((RAW / "enterprises").glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_name(book.sheet_names[0]).to_python()
        header = next(i for i, row in enumerate(grid) if "统一社会信用代码" in row)
        names = [str(h).split("（")[0] for h in grid[header]]
        rows = []
        for raw in grid[header + 1 :]:
            row = dict(zip(names, raw, strict=False))
            code = str(row["统一社会信用代码"]).strip()
            if len(code) != 18:  # the 合计 row and the footer
                continue
            division = str(row["国民经济行业代码"]).strip()[:2]
            rows.append(
                {
                    "industry_section": next(s for s, lo, hi in sections if lo <= division <= hi),
                    "pss_category": str(row["生产性服务业类别"]).strip().zfill(2),
                    "board": boards[str(row["所属板块"]).strip()],
                    # 千元 in the samples' unit line: 万元 = 千元 ÷ 10
                    "ytd": figure(row["1-本月营业收入"]) / 10,
                    "prior": (p / 10 if (p := figure(row["上年同期1-本月营业收入"])) else None),
                    "profit": figure(row["1-本月营业利润"]) / 10,
                    "prior_profit": (
                        p / 10 if (p := figure(row["上年同期1-本月营业利润"])) is not None else None
                    ),
                }
            )
        months[f"2025-{path.stem[-2:]}"] = rows
    return months


def expected(rows: list[dict]) -> dict[tuple[str, str, str], float]:
    """The catalogue's formulas, computed from the rows: {(indicator, scope type, code): value}."""
    comparable = [r for r in rows if r["prior"] and r["prior"] > 0]
    base = sum(r["prior"] for r in comparable)
    increase = sum(r["ytd"] - r["prior"] for r in comparable)
    out = {("ENT_REV_YOY", *DISTRICT): (sum(r["ytd"] for r in comparable) / base - 1) * 100}
    for breakdown in BREAKDOWNS:
        parts = defaultdict(float)
        for r in comparable:
            parts[r[breakdown]] += r["ytd"] - r["prior"]
        for code, part in parts.items():
            out[("ENT_REV_PULL", breakdown, code)] = part / base * 100
            out[("ENT_REV_CONTRIB", breakdown, code)] = part / increase * 100
    for scope_type, code in [DISTRICT] + [
        ("industry_section", s) for s in {r["industry_section"] for r in rows}
    ]:
        scoped = [r for r in rows if scope_type == "district" or r[scope_type] == code]
        both = [r for r in scoped if r["prior"] and r["prior"] > 0]
        out[("ENT_GROWTH_SHARE", scope_type, code)] = (
            sum(r["ytd"] > r["prior"] for r in both) / len(both) * 100
        )
        out[("ENT_LOSS_SHARE", scope_type, code)] = (
            sum(r["profit"] < 0 for r in scoped) / len(scoped) * 100
        )
        with_base = [r for r in scoped if r["prior_profit"] is not None]
        profit_base = sum(r["prior_profit"] for r in with_base)
        if profit_base > 0:
            out[("ENT_PROFIT_YOY", scope_type, code)] = (
                sum(r["profit"] for r in with_base) / profit_base - 1
            ) * 100
    out[("ENT_LOSS_AMOUNT", *DISTRICT)] = -sum(r["profit"] for r in rows if r["profit"] < 0)
    return out


@pytest.fixture(scope="module")
def computed() -> dict[str, dict]:
    return {month: expected(rows) for month, rows in sample_enterprises().items()}


def held_values(warehouse, month: str) -> dict[tuple[str, str, str], float]:
    rows = warehouse.execute(
        "select indicator_code, scope_type, scope_code, value from marts.fct_indicator_value "
        "where period = ? and indicator_code in ('ENT_REV_YOY', 'ENT_REV_PULL', "
        "'ENT_REV_CONTRIB', 'ENT_GROWTH_SHARE', 'ENT_LOSS_SHARE', 'ENT_LOSS_AMOUNT', "
        "'ENT_PROFIT_YOY')",
        [f"{month}-01"],
    ).fetchall()
    return {tuple(row[:3]): row[3] for row in rows}


def test_every_value_equals_the_formula_computed_from_the_sample_files(warehouse, computed):
    assert sorted(computed) == [f"2025-{m:02d}" for m in range(2, 10)]
    for month, wanted in computed.items():
        held = held_values(warehouse, month)
        for key, value in wanted.items():
            assert held.get(key) == pytest.approx(value, rel=1e-6, abs=1e-4), (month, key)
        # and nothing of these breakdowns the files do not make
        made = {k for k in held if k[1] in BREAKDOWNS and k[0] in ("ENT_REV_PULL",)}
        assert made == {k for k in wanted if k[0] == "ENT_REV_PULL" and k[1] in BREAKDOWNS}


def test_each_breakdown_adds_up_to_the_growth_and_to_100_every_month(warehouse):
    sums = warehouse.execute(
        "select period, indicator_code, scope_type, sum(value) from marts.fct_indicator_value "
        "where indicator_code in ('ENT_REV_PULL', 'ENT_REV_CONTRIB') and scope_type != 'district' "
        "group by all"
    ).fetchall()
    growth = dict(
        warehouse.execute(
            "select period, value from marts.fct_indicator_value "
            "where indicator_code = 'ENT_REV_YOY' and scope_type = 'district'"
        ).fetchall()
    )
    assert len(sums) == 8 * 2 * len(BREAKDOWNS)
    for period, code, _scope_type, total in sums:
        target = growth[period] if code == "ENT_REV_PULL" else 100.0
        assert total == pytest.approx(target, abs=0.005), (period, code)


def sample_city_tables() -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """Every sample city table: {month: {area as written: {industry: (revenue 万元, growth %)}}},
    industry 'ALL' for all above-scale services, else the section's code."""
    codes = {r["section_name"]: r["section_code"] for r in reference("gbt4754_sections")}
    months = {}
    for path in sorted((RAW / "city").glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_name(book.sheet_names[0]).to_python()
        groups_row = next(i for i, row in enumerate(grid) if "地区" in row)
        groups = {
            c: ("ALL" if label == "规模以上服务业" else codes[label])
            for c, label in enumerate(grid[groups_row])
            if label and label != "地区"
        }
        areas = {}
        for row in grid[groups_row + 2 :]:
            name = str(row[0]).strip()
            if not name or name.startswith("填报人"):
                continue
            areas[name] = {
                scope: (figure(row[c]) * 10_000, figure(row[c + 1])) for c, scope in groups.items()
            }
        months[path.stem[-7:]] = areas
    return months


def test_the_district_in_the_city_as_the_sample_tables_say(warehouse, computed):
    enterprises = sample_enterprises()
    tables = sample_city_tables()
    assert sorted(tables) == [f"2025-{m:02d}" for m in range(2, 10)]
    for month, areas in tables.items():
        held = dict(
            ((code, scope_type, scope_code), value)
            for code, scope_type, scope_code, value in warehouse.execute(
                "select indicator_code, scope_type, scope_code, value "
                "from marts.fct_indicator_value where period = ? "
                "and (indicator_code like 'CITY%' or indicator_code like 'PSS%')",
                [f"{month}-01"],
            ).fetchall()
        )
        wujin, city = areas["武进区"], areas["全市"]
        others = [a for name, a in areas.items() if name not in ("武进区", "全市")]
        for scope, (_, growth) in wujin.items():
            key = ("district", "320412") if scope == "ALL" else ("industry_section", scope)
            faster = sum(o[scope][1] > growth for o in others if scope in o)
            assert held[("CITY_SVC_REV_YOY_RANK", *key)] == 1 + faster, (month, scope)
            assert held[("CITY_SVC_REV_YOY_GAP", *key)] == pytest.approx(growth - city[scope][1])
        assert held[("CITY_SVC_REV_YOY", "district", "320412")] == pytest.approx(wujin["ALL"][1])
        own_revenue = sum(r["ytd"] for r in enterprises[month])
        share = own_revenue / wujin["ALL"][0] * 100
        assert held[("PSS_SHARE_OF_SVC", "district", "320412")] == pytest.approx(share)
        assert 60 < share < 90  # the bulletins': 73.9 %
        own_growth = computed[month][("ENT_REV_YOY", *DISTRICT)]
        assert held[("PSS_VS_SVC_YOY_GAP", "district", "320412")] == pytest.approx(
            own_growth - wujin["ALL"][1]
        )
    # the source document: 商务租赁服务业增速位列常州市第一位 (1-8月)
    assert tables["2025-08"]["武进区"]["L"][1] > max(
        a["L"][1] for name, a in tables["2025-08"].items() if name not in ("武进区", "全市")
    )


def test_the_city_figures_agree_with_psws_own_in_the_samples(warehouse):
    """Rule C6: no section of the district's row in the sample tables is more than 5 points
    from psw's own figure, so no note; the corrected March of test_vintages has one."""
    far = warehouse.execute(
        "select count(*), count(*) filter (where is_far) from marts.fct_city_own_figure_check"
    ).fetchone()
    assert far[0] == 8 * 5 and far[1] == 0
