"""The analysis (运行分析) in the bureau's words: Chinese paragraphs generated from the month's
numbers. Each function returns one paragraph, or None where the month has nothing to say."""

from __future__ import annotations

from orchestration.lib.report.data import Report


def _money(value: float) -> str:
    return f"{value:,.2f}亿元"


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _growth(value: float) -> str:
    """同比增长X% / 同比下降X% / 与上年同期持平."""
    if round(value, 1) == 0:
        return "与上年同期持平"
    return f"同比增长{_pct(value)}" if value > 0 else f"同比下降{_pct(-value)}"


def _points(change: float, up: str, down: str, flat: str = "持平") -> str:
    if round(change, 1) == 0:
        return flat
    return f"{up}{abs(change):.1f}个百分点" if change > 0 else f"{down}{abs(change):.1f}个百分点"


def _listed(items: list[str]) -> str:
    """A、B和C."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def enterprises(report: Report) -> str | None:
    revenue = report.value("ENT_REV_YTD")
    if revenue is None:
        return None
    count = report.value("ENT_COUNT")
    growth = report.value("ENT_REV_YOY")
    text = (
        f"{report.ytd_label[5:]}，全区{count:,.0f}家规上生产性服务业企业"
        f"实现营业收入{_money(revenue)}"
    )
    if growth is not None:
        text += f"，{_growth(growth)}"
        earlier = [v for m, v, _ in report.growth_by_month[:-1]]
        if earlier and report.growth_by_month[-1][1] == growth and report.month_number > 2:
            text += "，增速比1-{}月{}".format(
                report.month_number - 1, _points(growth - earlier[-1], "提高", "回落")
            )
        target = report.row("ENT_REV_YOY")
        if target and target["target_value"] is not None:  # the table's gap, as shown
            gap = target["target_gap"]
            text += "，" + _points(gap, "高于全年目标", "低于全年目标", "与全年目标持平")
    month_revenue = report.value("ENT_REV_MONTH")
    if month_revenue is not None and report.month_number > 2:  # February's month is 1-2月
        text += f"，其中{report.month_number}月当月营业收入{_money(month_revenue)}"
    profit = report.value("ENT_PROFIT_YTD")
    if profit is not None:
        text += f"；实现营业利润{_money(profit)}"
        profit_growth = report.value("ENT_PROFIT_YOY")
        if profit_growth is not None:
            text += f"，{_growth(profit_growth)}"
    text += _pulled(report) + _faces(report)
    stars = report.row("ENT_STAR_COUNT")
    if stars is not None:
        text += f"。全区星级企业{stars['display_value']:,.0f}家"
        if stars["target_value"] is not None:
            target = _with_unit(stars["display_target_value"], stars, target=True)
            text += (
                f"，达到全年目标（{target}）"
                if stars["target_met"]
                else f"，距全年目标（{target}）尚差"
                f"{_with_unit(-stars['target_gap'], stars, target=True)}"
            )
    return text + "。"


# the sections a lead paragraph names as carrying the growth
NAMED_PULLS = 2


def _pulled(report: Report) -> str:
    """。从行业门类看，A、B分别拉动全区营业收入增长x、y个百分点，贡献率分别为a%、b%: the
    released sections that pulled most (a held 拉动 is neither named nor ranked)."""
    pulls = [r for r in report.scopes("ENT_REV_PULL", "industry_section") if r["value"] > 0]
    top = pulls[:NAMED_PULLS]
    if not top:
        return ""
    shares = [report.value("ENT_REV_CONTRIB", "industry_section", r["scope_code"]) for r in top]
    names = "，".join(r["scope_name_zh"] for r in top)  # a section's name may hold a 、
    points = "、".join(f"{r['value']:.1f}" for r in top)
    if len(top) == 1:
        text = f"。从行业门类看，{names}拉动全区营业收入增长{points}个百分点"
        return text + (f"，贡献率{_pct(shares[0])}" if shares[0] is not None else "")
    text = f"。从行业门类看，{names}分别拉动全区营业收入增长{points}个百分点"
    if all(s is not None for s in shares):
        text += "，贡献率分别为" + "、".join(_pct(s) for s in shares)
    return text


def _faces(report: Report) -> str:
    """。全区规上生产性服务业企业增长面x%，亏损面y%，亏损企业亏损额z亿元."""
    parts = []
    for code, label in (
        ("ENT_GROWTH_SHARE", "增长面"),
        ("ENT_LOSS_SHARE", "亏损面"),
        ("ENT_LOSS_AMOUNT", "亏损企业亏损额"),
    ):
        value = report.value(code)
        if value is not None:
            parts.append(label + (_money(value) if code == "ENT_LOSS_AMOUNT" else _pct(value)))
    return "。全区规上生产性服务业企业" + "，".join(parts) if parts else ""


NUMERALS = "一二三四五六七八九十"


def _place(rank: float) -> str:
    """第一位 … 第十位, then 第11位."""
    n = int(rank)
    return f"第{NUMERALS[n - 1]}位" if 1 <= n <= len(NUMERALS) else f"第{n}位"


def city(report: Report) -> str | None:
    """The district in the city (the city bureau's table): the growth of all its above-scale
    services, its place among Changzhou's areas and the gap to the city; the sections that
    rank first; the producer services' share of all above-scale services and their lead."""
    growth = report.value("CITY_SVC_REV_YOY")
    rank = report.value("CITY_SVC_REV_YOY_RANK")
    if growth is None or rank is None:
        return None
    text = (
        f"从全市看，{report.ytd_label[5:]}全区规上服务业营业收入{_growth(growth)}，"
        f"增速位列全市{_place(rank)}"
    )
    gap = report.value("CITY_SVC_REV_YOY_GAP")
    if gap is not None:
        text += "，" + _points(gap, "高于全市", "低于全市", "与全市持平")
    first = [
        r["scope_name_zh"]
        for r in report.scopes("CITY_SVC_REV_YOY_RANK", "industry_section")
        if r["value"] == 1
    ]
    if len(first) == 1:
        text += f"；其中{first[0]}增速位列全市第一位"
    elif first:  # a section's name may hold a 、 or a 和: the names apart by commas
        text += f"；其中{'，'.join(first)}增速均位列全市第一位"
    share = report.value("PSS_SHARE_OF_SVC")
    lead = report.value("PSS_VS_SVC_YOY_GAP")
    if share is not None:
        text += f"。规上生产性服务业营业收入占规上服务业的比重为{_pct(share)}"
        if lead is not None:
            text += "，增速" + _points(lead, "高于规上服务业", "低于规上服务业", "与规上服务业持平")
    return text + "。"


def sections(report: Report) -> str | None:
    ranked = report.scopes("ENT_REV_YOY", "industry_section")
    if len(ranked) < 3:
        return None
    top = [f"{r['scope_name_zh']}（{_pct(r['value'])}）" for r in ranked[:3]]
    text = f"分行业门类看，营业收入增速居前三位的是{_listed(top)}"
    district = report.value("ENT_REV_YOY")
    if district is not None:
        above = sum(1 for r in ranked if r["value"] > district)
        text += f"；公布的{len(ranked)}个门类中有{above}个增速高于全区平均水平"
    return text + _held_said(report, "industry_section", "门类") + "。"


def boards(report: Report) -> str | None:
    ranked = report.scopes("ENT_REV_YOY", "board")
    if not ranked:
        return None
    listed = "、".join(f"{r['scope_name_zh']}（{_pct(r['value'])}）" for r in ranked)
    return f"分板块看，营业收入增速从高到低依次为{listed}{_held_said(report, 'board', '板块')}。"


def _held_said(report: Report, scope_type: str, noun: str) -> str:
    """What the sentence leaves out: held growth figures are neither named nor ranked."""
    held = report.held("ENT_REV_YOY", scope_type)
    return f"（另有{len(held)}个{noun}涉及企业过少，增速不予公布）" if held else ""


# The analysis names at most this many projects behind schedule, the furthest behind first (a
# scaled district has thousands; the workbook's table marks every one).
NAMED_BEHIND = 10


def projects(report: Report) -> str | None:
    count = report.value("PRJ_COUNT")
    plan = report.value("PRJ_PLAN_YEAR")
    invested = report.value("PRJ_INV_YTD")
    if count is None or plan is None or invested is None:
        return None
    rate = report.row("PRJ_INV_RATE")
    text = (
        f"全区{count:,.0f}个生产性服务业重点项目年度计划投资{_money(plan)}，"
        f"{report.ytd_label[5:]}累计完成投资{_money(invested)}"
    )
    if rate is not None:
        text += f"，完成年度计划的{_pct(rate['value'])}"
        if rate["target_value"] is not None:
            text += "，" + _points(rate["target_gap"], "超序时进度", "低于序时进度")
    upper = [
        report.row(code, "project_level", level)
        for code in ("PRJ_INV_YTD", "PRJ_COUNT")
        for level in ("PROV", "CITY")
    ]
    if all(upper):
        text += (
            f"；其中省、市重点项目{upper[2]['value'] + upper[3]['value']:,.0f}个，"
            f"完成投资{_money(upper[0]['display_value'] + upper[1]['display_value'])}"
        )
    started = report.value("PRJ_START_RATE")
    if started is not None:
        text += f"。项目开工率{_pct(started)}"
    in_use = report.value("PRJ_IN_USE_COUNT")
    if in_use is not None:
        text += f"，{in_use:,.0f}个项目竣工或部分投用"
    table = report.tables.get("key_projects")
    behind = [r for r in table.rows if r["is_behind_schedule"]] if table else []
    if behind:
        furthest = sorted(behind, key=lambda r: r["plan_share_pct"] or 0)[:NAMED_BEHIND]
        names = "、".join(f"{r['project_name']}（{_pct(r['plan_share_pct'])}）" for r in furthest)
        if len(behind) > len(furthest):
            text += (
                f"。{len(behind)}个项目投资进度低于序时进度，其中进度最低的{len(furthest)}个："
                f"{names}（全部项目见表）"
            )
        else:
            text += f"。{len(behind)}个项目投资进度低于序时进度：{names}"
    elif table:
        text += "。所有项目投资进度均达到序时进度"
    return text + "。"


def clusters(report: Report) -> str | None:
    count = report.value("ZONE_COUNT")
    if count is None:
        return None
    figures = [
        (code, label)
        for code, label in (
            ("ZONE_INV_YTD", "完成投资"),
            ("ZONE_REV_YTD", "实现营业收入"),
            ("ZONE_PROFIT_YTD", "利润总额"),
            ("ZONE_TAX_YTD", "税收收入"),
        )
    ]

    def described(scope_type: str, scope_code: str | None) -> str:
        parts = [
            f"{label}{_money(report.value(code, scope_type, scope_code))}"
            for code, label in figures
            if report.value(code, scope_type, scope_code) is not None
        ]
        enterprises = report.value("ZONE_ENT_COUNT", scope_type, scope_code)
        if enterprises is not None:
            parts.append(f"入区企业{enterprises:,.0f}家")
        return "，".join(parts)

    text = f"{report.ytd_label[5:]}，全区{count:,.0f}家生产性服务业集聚区" + described(
        "district", None
    )
    above = report.value("ZONE_ABOVE_SCALE_COUNT")
    if above is not None:
        text += f"，其中规上企业{above:,.0f}家"
    provincial = report.value("ZONE_COUNT", "zone_level", "省级")
    if provincial is not None:
        text += f"。{provincial:,.0f}家省级集聚区" + described("zone_level", "省级")
    return text + "。"


def survey(report: Report) -> str | None:
    table = report.tables.get("survey")
    if table is None or table.total is None:
        return None
    key = [f"{r['service_name']}（{_pct(r['demand_rate_pct'])}）" for r in table.rows[:6]]
    return (
        f"{table.period_label}制造业企业生产性服务需求调查共调查企业"
        f"{table.total['respondents']:,.0f}家。需求较强企业占比居前六位的服务依次为"
        f"{'、'.join(key)}，列为重点培育行业。"
    )


def _with_unit(value: float, row: dict, target: bool = False) -> str:
    """A figure of the row in its display unit: the value's decimals, or, for a target and its
    gap, the target's (7.5, not 8)."""
    unit = row["display_unit"]
    shown = f"{value:,.{row['target_decimals' if target else 'display_decimals']}f}"
    return f"{shown}个百分点" if unit == "百分点" else f"{shown}{unit}"


def targets(report: Report) -> str | None:
    rows = [r for r in report.values.values() if r["target_met"] is not None]
    if not rows:
        return None
    met = [r for r in rows if r["target_met"] and r["scope_type"] == "district"]
    text = "目标完成情况：" + (
        "、".join(
            f"{r['indicator_name_zh']}（{_with_unit(r['display_value'], r)}）"
            for r in sorted(met, key=lambda r: r["indicator_code"])
        )
        + "达到目标"
        if met
        else "暂无指标达到目标"
    )
    missed: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["scope_type"] != "district", r["scope_code"])):
        if not r["target_met"]:
            missed.setdefault(r["indicator_code"], []).append(r)
    for code, misses in missed.items():
        first = misses[0]
        target = _with_unit(first["display_target_value"], first, target=True)
        # a target spread over the year is judged against its share to date: 序时目标
        kind = "目标" if report.target_rules.get(code, "fixed") == "fixed" else "序时目标"
        name = first["indicator_name_zh"]
        if [r["scope_type"] for r in misses] == ["district"]:
            text += (
                f"；{name}全区{_with_unit(first['display_value'], first)}，未达{kind}（{target}）"
            )
            continue
        scopes = "、".join(
            f"{'全区' if r['scope_type'] == 'district' else r['scope_name_zh']}"
            f"（{_with_unit(r['display_value'], r)}）"
            for r in misses
        )
        text += f"；{name}未达{kind}（{target}）的有{scopes}"
    return text + "。"


SECTIONS = (
    ("总体运行", (enterprises, city, sections, boards)),
    ("重点项目", (projects,)),
    ("集聚区建设", (clusters,)),
    ("需求调查", (survey,)),
    ("目标完成", (targets,)),
)


def analysis(report: Report) -> list[tuple[str, list[str]]]:
    """The analysis as (heading, paragraphs), sections with nothing to say left out."""
    out = []
    for heading, writers in SECTIONS:
        paragraphs = [p for p in (w(report) for w in writers) if p]
        if paragraphs:
            out.append((heading, paragraphs))
    return out
