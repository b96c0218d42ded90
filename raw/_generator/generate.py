"""Deterministic generator of the sample spreadsheets in raw/ (2025-01 .. 2025-09).

The files are laid out the way the departments deliver them (merged title with the period,
unit line, header, 合计 row, footer; numbers sometimes stored as text, with thousands
separators, full-width digits or stray spaces) and built so that the warehouse reproduces
the figures published in the source document (the table at the end of the contract's indicators.md):

- 20 key projects, the 11 described in the document with their real land, floor area, total
  investment and status; the year's plan totals 103亿元, all started by June, H1 investment is
  ahead of the time-proportional schedule, and the four provincial/city projects have invested
  10.33亿元 by June;
- 6 provincial clusters with H1 investment 17.4亿元, revenue 179.6亿元, profit 21.8亿元 and
  6,625 enterprises; the 2 cultivated clusters report from 2025-07;
- ~450 above-scale enterprises (sections G, I, L, M, N) growing faster than 15% on a comparable
  basis, with L, M and G growing fastest; 15 rated star enterprises by June;
- 214 manufacturers in the 2025-06 demand survey, whose six strongest demands are S01..S06;
- the city bureau's table of Changzhou's areas from 2025-02, consistent with the enterprises:
  the district's above-scale services about 1.35 times its producer services, growing about 3
  points slower, its sections within a point or two of the enterprises' own figures, and its
  leasing and business services (L) the fastest-growing in the city.

Usage: python raw/_generator/generate.py [--out raw] [--months 2025-01..2025-09]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.sources import (
    CITY,
    DEMAND_SURVEY,
    ENTERPRISES,
    LEDGER,
    PROJECTS,
    ZONES,
    demand_header,
    spend_header,
    survey_services,
)
from orchestration.lib.reading.credit_code import ALPHABET, check_character

YEAR = 2025
FULL_WIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")
FIXED_CREATED = dt.datetime(2025, 1, 1, 8, 0, 0)


# ---------------------------------------------------------------- writing a government sheet


@dataclass
class Sheet:
    title: str
    unit_line: str
    reporter: str
    headers: list[str]
    rows: list[list[object]]
    total: list[object] | None
    total_on_top: bool = False
    group_headers: list[tuple[int, int, str]] | None = None  # (first col, last col, text)
    subtotals: list[list[object]] | None = None
    filed: str = ""


def _looks_messy(value: object, rng: random.Random) -> object:
    """Store some numbers as text the way departments do: separators, full width, spaces."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    roll = rng.random()
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if roll < 0.04:
        return text  # thousands separators, as text
    if roll < 0.06:
        return str(value).translate(FULL_WIDTH_DIGITS)
    if roll < 0.09:
        return f"{value} "
    return value


def write_sheet(path: Path, sheet_name: str, sheet: Sheet, rng: random.Random) -> None:
    write_workbook(path, [(sheet_name, sheet)], rng)


def write_workbook(path: Path, sheets: list[tuple[str, Sheet]], rng: random.Random) -> None:
    """One file, one government sheet per (name, sheet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": FIXED_CREATED, "author": "psw sample generator"})
    for sheet_name, sheet in sheets:
        _write_government_sheet(workbook, workbook.add_worksheet(sheet_name), sheet, rng)
    workbook.close()


def _write_government_sheet(workbook, ws, sheet: Sheet, rng: random.Random) -> None:
    title_fmt = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    head_fmt = workbook.add_format(
        {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1}
    )
    cell_fmt = workbook.add_format({"border": 1})
    date_fmt = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    ncols = len(sheet.headers)
    ws.merge_range(0, 0, 0, ncols - 1, sheet.title, title_fmt)
    ws.write_string(1, 0, sheet.reporter)
    ws.write_string(1, max(ncols - 3, 1), sheet.unit_line)
    row = 2
    if sheet.group_headers:
        grouped = set()
        for first, last, text in sheet.group_headers:
            ws.merge_range(row, first, row, last, text, head_fmt)
            grouped.update(range(first, last + 1))
        for col, header in enumerate(sheet.headers):
            if col in grouped:
                ws.write_string(row + 1, col, header, head_fmt)
            else:
                ws.merge_range(row, col, row + 1, col, header, head_fmt)
        row += 2
    else:
        for col, header in enumerate(sheet.headers):
            ws.write_string(row, col, header, head_fmt)
        row += 1

    def write_row(values: list[object], messy: bool) -> None:
        nonlocal row
        for col, value in enumerate(values):
            value = _looks_messy(value, rng) if messy else value
            if value is None:
                ws.write_blank(row, col, None, cell_fmt)
            elif isinstance(value, str):
                ws.write_string(row, col, value, cell_fmt)
            elif isinstance(value, dt.date):
                ws.write_datetime(row, col, value, date_fmt)
            else:
                ws.write_number(row, col, value, cell_fmt)
        row += 1

    if sheet.total and sheet.total_on_top:
        write_row(sheet.total, messy=False)
    blank_after = rng.randrange(len(sheet.rows)) if len(sheet.rows) > 5 else -1
    for i, values in enumerate(sheet.rows):
        write_row(values, messy=True)
        if i == blank_after:
            row += 1  # a stray blank line between data rows
    if sheet.total and not sheet.total_on_top:
        write_row(sheet.total, messy=False)
    for values in sheet.subtotals or []:
        write_row(values, messy=False)
    row += 1
    ws.write_string(
        row,
        0,
        f"填报人：{rng.choice(['张伟', '王芳', '李娜', '陈静', '刘洋'])}    "
        f"联系电话：0519-8631{rng.randrange(1000, 9999)}    "
        f"填报日期：{sheet.filed}",
    )
    ws.set_column(0, ncols - 1, 14)


def _period_title(prefix: str, month: int) -> str:
    span = f"{YEAR}年{month}月" if month == 1 else f"{YEAR}年1-{month}月"
    return f"{prefix}（{span}）"


def _totals(
    rows: list[list[object]], numeric_cols: list[int], label_col: int, ncols: int
) -> list[object]:
    total: list[object] = [None] * ncols
    total[label_col] = "合计"
    for col in numeric_cols:
        total[col] = round(sum(r[col] for r in rows if isinstance(r[col], int | float)), 2)
    return total


# ---------------------------------------------------------------- key projects


@dataclass(frozen=True)
class Project:
    name: str
    board: str
    level: str
    pss: str
    content: str
    land: float | None
    floor: float | None
    total: float
    plan_year: float
    june_ytd: float  # 1-6月累计完成投资
    status: str  # status from the month it started
    start: str  # planned start YYYY-MM
    finish: str
    progress: str
    starts_in: int = 1  # first month of 2025 with the project started (未开工 before)
    later_status: tuple[int, str] | None = None  # (month, status) a change later in the year


# The 11 projects described in the source document (real land, floor area, total investment,
# status), then 理想研发基地 (named there without details) and 8 invented ones.
PROJECT_LIST = (
    Project(
        "海晨新能源汽车供应链物流基地",
        "武进国家高新区",
        "省重点",
        "02",
        "智能自动化立体仓及分拣中心、数字供应链中心、电商物流中心等",
        197,
        127000,
        103272,
        45000,
        24500,
        "在建",
        "2023-09",
        "2025-11",
        "主体二次施工",
    ),
    Project(
        "龙城芯谷集成电路产业园用房",
        "武进国家高新区",
        "区重点",
        "10",
        "新建17幢高标准厂房及配套用房",
        100.097,
        146226,
        52508,
        30000,
        17000,
        "在建",
        "2024-03",
        "2026-06",
        "主体二次施工",
    ),
    Project(
        "盛研5G通信产业园",
        "牛塘镇",
        "区重点",
        "03",
        "新建生产用房及辅助用房，建设工业体类服务性平台",
        47.132,
        67676,
        13000,
        2000,
        1000,
        "竣工投用",
        "2022-05",
        "2024-12",
        "已竣工投用",
    ),
    Project(
        "国家智能工业机器人产业计量测试中心",
        "常州科教城",
        "区重点",
        "01",
        "新建实验大楼一座，含实验室、展示空间及辅助用房",
        None,
        16226,
        12800,
        6000,
        3100,
        "在建",
        "2023-06",
        "2025-10",
        "主体验收、内部装修",
    ),
    Project(
        "继峰汽车座椅排序发运中心",
        "武进国家高新区",
        "区重点",
        "02",
        "租用厂房装修改造，建设汽车座椅排序发运中心",
        None,
        7625.6,
        3500,
        500,
        260,
        "竣工投用",
        "2024-04",
        "2024-12",
        "已竣工投用",
    ),
    Project(
        "武南标房用户侧储能电站",
        "武进国家高新区",
        "区重点",
        "05",
        "新建储能电站一座，规模8.3MW/20.075MWh",
        None,
        None,
        3011,
        500,
        240,
        "竣工投用",
        "2024-05",
        "2024-12",
        "已竣工投用",
    ),
    Project(
        "常州市医药产业创新中心二期",
        "西太湖科技产业园",
        "市重点",
        "01",
        "医疗健康产业研发办公楼及服务配套用房",
        173.655,
        200000,
        150000,
        60000,
        20600,
        "部分投用",
        "2022-10",
        "2026-12",
        "一期竣工投用，二期主体施工",
    ),
    Project(
        "金新西太湖创智港",
        "西太湖科技产业园",
        "市重点",
        "07",
        "双创载体空间，文化、商业、办公、创新创业园区",
        70.335,
        98000,
        80000,
        40000,
        16400,
        "在建",
        "2024-02",
        "2026-10",
        "主体施工",
    ),
    Project(
        "西太湖人机一体化智能系统产业园",
        "西太湖科技产业园",
        "区重点",
        "01",
        "智能制造和新材料制造厂房等",
        99,
        95000,
        71400,
        25000,
        15000,
        "部分投用",
        "2023-04",
        "2025-12",
        "西地块竣工投用",
    ),
    Project(
        "常州华阳数字化新能源全产业链检测基地",
        "牛塘镇",
        "区重点",
        "01",
        "生产、办公等建筑，购置检验测试仪器装配线",
        28,
        42000,
        35000,
        3000,
        1500,
        "竣工投用",
        "2023-03",
        "2024-12",
        "已竣工投用",
    ),
    Project(
        "长三角青年创新创业港二期",
        "常州科教城",
        "区重点",
        "07",
        "新建15栋建筑，孵化生产、研发实验、共享办公及配套",
        74,
        110000,
        125500,
        50000,
        27000,
        "在建",
        "2024-06",
        "2026-12",
        "主体施工",
    ),
    Project(
        "理想研发基地",
        "武进国家高新区",
        "省重点",
        "01",
        "智能电动汽车研发中心、试验中心及配套",
        260,
        320000,
        450000,
        150000,
        41800,
        "在建",
        "2024-08",
        "2027-06",
        "研发楼主体施工",
    ),
    Project(
        "中以国际创新村数字经济服务中心",
        "中以常州创新园",
        "区重点",
        "03",
        "数字经济企业服务中心及共享办公",
        45,
        90000,
        180000,
        80000,
        50000,
        "在建",
        "2024-09",
        "2026-12",
        "主体施工",
    ),
    Project(
        "长三角碳管理体系研究院",
        "江苏武进绿色建筑产业集聚示范区",
        "区重点",
        "05",
        "碳管理研究、检测认证及数字化协同平台",
        30,
        52000,
        160000,
        70000,
        45000,
        "在建",
        "2024-10",
        "2026-09",
        "主体结构施工",
    ),
    Project(
        "湖塘科技产业园数字服务港",
        "湖塘镇",
        "区重点",
        "03",
        "软件和信息服务楼宇及数据中心",
        60,
        130000,
        220000,
        100000,
        42000,
        "在建",
        "2025-04",
        "2027-03",
        "基础施工",
        starts_in=4,
    ),
    Project(
        "牛塘智慧物流园",
        "牛塘镇",
        "区重点",
        "02",
        "智能仓储、分拨中心及物流信息平台",
        150,
        160000,
        200000,
        90000,
        56000,
        "在建",
        "2024-07",
        "2026-08",
        "仓库主体施工",
    ),
    Project(
        "洛阳检验检测认证产业园",
        "洛阳镇",
        "区重点",
        "01",
        "检验检测实验室及认证服务中心",
        80,
        105000,
        170000,
        75000,
        48000,
        "在建",
        "2024-05",
        "2026-06",
        "实验楼装修",
        later_status=(8, "部分投用"),
    ),
    Project(
        "太湖湾数字创意产业园",
        "太湖湾旅游度假区",
        "区重点",
        "07",
        "数字创意、影视后期及商务服务载体",
        55,
        80000,
        150000,
        65000,
        36000,
        "在建",
        "2025-04",
        "2026-12",
        "桩基施工",
        starts_in=4,
    ),
    Project(
        "礼嘉供应链金融服务中心",
        "礼嘉镇",
        "区重点",
        "04",
        "供应链金融、结算及商务服务楼宇",
        20,
        40000,
        120000,
        55000,
        35000,
        "在建",
        "2024-11",
        "2026-05",
        "主体施工",
    ),
    Project(
        "前黄智能装备共享制造服务平台",
        "前黄镇",
        "区重点",
        "10",
        "共享制造车间、检测及运维服务中心",
        90,
        120000,
        190000,
        83000,
        40000,
        "在建",
        "2025-04",
        "2026-12",
        "基础施工",
        starts_in=4,
    ),
)
# Cumulative share of the June figure reached by each month of the year.
YTD_SHAPE = (0.10, 0.22, 0.38, 0.55, 0.76, 1.00, 1.18, 1.36, 1.55, 1.72, 1.88, 2.0)
LATE_SHAPE = (0.0, 0.0, 0.0, 0.25, 0.60, 1.00, 1.22, 1.45, 1.66, 1.85, 2.0, 2.1)


def project_ytd(project: Project, month: int, rng_seed: int) -> float:
    if month < project.starts_in:
        return 0.0
    shape = LATE_SHAPE if project.starts_in > 1 else YTD_SHAPE
    if month == 6:
        return float(project.june_ytd)
    wobble = 1 + (random.Random(rng_seed * 100 + month).random() - 0.5) * 0.04
    return float(round(project.june_ytd * shape[month - 1] * wobble))


def scaled_projects(count: int) -> tuple[Project, ...]:
    """The 20 projects, then invented district projects up to `count` (for benchmarks)."""
    rng = random.Random("projects-scale")
    extra = []
    for i in range(max(0, count - len(PROJECT_LIST))):
        total = float(rng.randrange(20_000, 200_000))
        plan = round(total * 0.3)
        extra.append(
            Project(
                f"武进生产性服务业储备项目{i + 1:05d}",
                rng.choice(BOARD_NAMES),
                "区重点",
                rng.choice(("01", "02", "03", "07", "10")),
                "生产性服务业载体建设",
                # to the 0.01 亩 the sheet shows (a figure written as text keeps two places:
                # three would leave the 合计 of 20,000 projects off by more than a cent)
                round(rng.uniform(10, 200), 2),
                float(rng.randrange(10_000, 200_000)),
                total,
                plan,
                round(plan * 0.5),
                "在建",
                "2024-03",
                "2026-12",
                "主体施工",
            )
        )
    return PROJECT_LIST + tuple(extra)


def projects_sheet(month: int, rng: random.Random, projects=PROJECT_LIST) -> Sheet:
    headers = [c.display_header for c in PROJECTS.columns] + ["备注"]
    # Departments write headers their own way: line breaks, half-width parentheses.
    headers[headers.index("总投资（万元）")] = "总投资\n（万元）"
    headers[headers.index("用地面积（亩）")] = "用地面积 (亩)"
    invest_cols = [
        headers.index(h)
        for h in (
            "本月完成投资（万元）",
            "1-本月累计完成投资（万元）",
            "开工以来累计完成投资（万元）",
        )
    ]
    rows = []
    for i, p in enumerate(projects, start=1):
        ytd = project_ytd(p, month, i)
        last = project_ytd(p, month - 1, i) if month > 1 else 0.0
        ytd_dec = project_ytd(p, 12, i)
        share = {"竣工投用": 0.95, "部分投用": 0.6}.get(p.status, 0.35)
        prior = (
            0.0
            if p.starts_in > 1
            else float(min(round(p.total * share), round(p.total - ytd_dec - 1)))
        )
        prior = max(prior, 0.0)
        started = month >= p.starts_in
        status = p.status if started else "未开工"
        if p.later_status and month >= p.later_status[0]:
            status = p.later_status[1]
        this_month = ytd - last
        rows.append(
            [
                i,
                f"WJSC-{YEAR}-{i:03d}",
                p.name,
                p.board,
                p.level,
                p.pss,
                p.content,
                p.land if p.land is not None else "—",
                p.floor if p.floor is not None else "—",
                p.total,
                p.plan_year,
                this_month if this_month else "—",
                ytd,
                prior + ytd,
                p.start,
                p.finish,
                status,
                p.progress if started else "前期手续办理",
                f"{p.board}管委会" if "镇" not in p.board else f"{p.board}人民政府",
                rng.choice(["周杰", "吴敏", "徐磊", "孙丽", "马超", "朱琳"]),
                f"1391234{i:04d}",
                None,
            ]
        )
    numeric = (
        [headers.index(h) for h in ("用地面积 (亩)", "总建筑面积（平方米）")]
        + [headers.index("总投资\n（万元）"), headers.index("年度计划投资（万元）")]
        + invest_cols
    )
    # The 投资完成情况 group header above the three investment columns; their unit comes from
    # the unit line (单位：万元、亩、平方米), as departments often write it.
    for col in invest_cols:
        headers[col] = headers[col].replace("（万元）", "")
    return Sheet(
        title=_period_title("武进区生产性服务业重点项目进展情况表", month),
        unit_line="单位：万元、亩、平方米",
        reporter="填报单位：区发改局项目推进组",
        headers=headers,
        rows=rows,
        total=_totals(rows, numeric, 0, len(headers)),
        total_on_top=True,
        group_headers=[(invest_cols[0], invest_cols[-1], "投资完成情况（万元）")],
    )


# ---------------------------------------------------------------- clusters


@dataclass(frozen=True)
class ZoneFigures:
    written_name: str
    level: str
    board: str
    first_month: int
    # 1-6月 (the cultivated zones: 1-9月), in 亿元; then enterprises, above-scale, employees
    invest: float
    revenue: float
    profit: float
    tax: float
    enterprises: int
    above_scale: int
    employees: int


ZONE_LIST = (
    ZoneFigures("湖塘科技产业园", "省级", "湖塘镇", 1, 3.20, 32.40, 3.95, 1.62, 1280, 86, 21500),
    ZoneFigures(
        "绿建区",
        "省级",
        "江苏武进绿色建筑产业集聚示范区",
        1,
        2.85,
        28.75,
        3.40,
        1.38,
        965,
        54,
        15800,
    ),
    ZoneFigures(
        "西太湖健康产业园", "省级", "西太湖科技产业园", 1, 3.65, 26.30, 4.25, 1.21, 1020, 61, 17200
    ),
    ZoneFigures(
        "西太湖电商产业园", "省级", "西太湖科技产业园", 1, 1.90, 41.15, 2.60, 1.85, 1450, 73, 19600
    ),
    ZoneFigures("科教城", "省级", "常州科教城", 1, 4.10, 30.60, 5.10, 1.47, 1310, 92, 24800),
    ZoneFigures("津通集聚区", "省级", "武进国家高新区", 1, 1.70, 20.40, 2.50, 0.96, 600, 38, 9100),
    ZoneFigures(
        "高新区智电汽车生产性服务业集聚区",
        "培育",
        "武进国家高新区",
        7,
        0.62,
        6.80,
        0.41,
        0.22,
        140,
        9,
        2600,
    ),
    ZoneFigures("湖塘新兴服务业集聚区", "培育", "湖塘镇", 7, 0.35, 4.10, 0.18, 0.12, 96, 5, 1500),
)
ZONE_SHAPE = (0.15, 0.30, 0.47, 0.63, 0.80, 1.00, 1.17, 1.34, 1.52, 1.69, 1.86, 2.03)


def zones_sheet(month: int, rng: random.Random) -> Sheet:
    headers = [c.display_header for c in ZONES.columns]
    headers[headers.index("其中:规上企业数（家）")] = "其中：规上企业数（家）"
    rows = []
    for z in (z for z in ZONE_LIST if month >= z.first_month):
        if z.first_month == 1:
            share = ZONE_SHAPE[month - 1]
            drift = month - 6
        else:  # cultivated zones: their figures are given for 1-9月
            share = ZONE_SHAPE[month - 1] / ZONE_SHAPE[8]
            drift = month - 9

        def money(june: float, share: float = share) -> float:
            return round(june * share, 2)

        rows.append(
            [
                len(rows) + 1,
                z.written_name,
                z.level,
                z.board,
                money(z.invest),
                money(z.revenue),
                money(z.profit),
                money(z.tax),
                z.enterprises + round(drift * z.enterprises * 0.004),
                z.above_scale + (drift // 3),
                z.employees + drift * 40,
            ]
        )
    total = _totals(rows, list(range(4, len(headers))), 1, len(headers))
    total[0] = None
    subtotals = None
    if any(z.first_month > 1 and month >= z.first_month for z in ZONE_LIST):
        provincial = [r for r in rows if r[2] == "省级"]
        subtotal = _totals(provincial, list(range(4, len(headers))), 1, len(headers))
        subtotal[1] = "其中：省级集聚区"
        subtotals = [subtotal]
    return Sheet(
        title=_period_title("武进区生产性服务业集聚区主要经济指标", month),
        unit_line="单位：亿元、家、人",
        reporter="填报单位：区发改局集聚区工作组",
        headers=headers,
        rows=rows,
        total=total,
        subtotals=subtotals,
    )


# ---------------------------------------------------------------- enterprises

SECTION_PLAN = {  # section: (count, classes, comparable growth, name words)
    "G": (
        110,
        ("5431", "5439", "5821", "5822", "5920", "5990", "6020"),
        0.20,
        ("物流", "供应链管理", "运输", "仓储服务", "快递服务"),
    ),
    "I": (
        70,
        ("6421", "6432", "6511", "6513", "6531", "6550"),
        0.08,
        ("信息技术", "软件", "网络科技", "数据科技"),
    ),
    "L": (
        120,
        ("7111", "7114", "7119", "7211", "7221", "7231", "7251", "7281", "7291"),
        0.30,
        ("商务咨询", "企业管理", "设备租赁", "人力资源", "会展服务"),
    ),
    "M": (
        100,
        ("7320", "7340", "7452", "7484", "7491", "7511", "7517"),
        0.24,
        ("检测技术", "科技研发", "工程设计", "工业设计", "技术服务"),
    ),
    "N": (50, ("7721", "7722", "7723", "7724"), 0.04, ("环保科技", "环境工程", "固废处置")),
}
NAME_WORDS = (
    "恒通",
    "华源",
    "天宁",
    "武进",
    "龙城",
    "星辰",
    "东方",
    "金坛",
    "常润",
    "新瑞",
    "远航",
    "博创",
    "鼎盛",
    "汇智",
    "中科",
    "锦程",
    "安达",
    "盛世",
    "凯越",
    "宏图",
    "创新",
    "卓越",
    "同心",
    "和信",
    "联众",
    "九州",
    "泰和",
    "嘉禾",
    "明德",
    "瑞丰",
)
BOARD_NAMES = (
    "武进国家高新区",
    "西太湖科技产业园",
    "湖塘镇",
    "牛塘镇",
    "洛阳镇",
    "常州科教城",
    "江苏武进绿色建筑产业集聚示范区",
    "中以常州创新园",
    "礼嘉镇",
    "雪堰镇",
)
ZONE_OF_BOARD = {
    "湖塘镇": "湖塘科技产业园",
    "江苏武进绿色建筑产业集聚示范区": "绿建区",
    "西太湖科技产业园": "西太湖电商产业园",
    "常州科教城": "科教城",
    "武进国家高新区": "津通集聚区",
}
STARS = ("一星", "二星", "三星", "四星", "五星")
SEASON = (0.060, 0.055, 0.080, 0.082, 0.085, 0.090, 0.085, 0.083, 0.088, 0.090, 0.092, 0.110)


def credit_code(rng: random.Random, division: str = "320412") -> str:
    body = "91" + division + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


@dataclass
class Enterprise:
    code: str
    name: str
    board: str
    zone: str | None
    industry: str
    pss: str
    prior_annual_qian: float  # last year's revenue, 千元
    growth: float
    margin: float
    employees: int
    has_prior: bool
    first_month: int
    star: tuple[int, str] | None = None


def build_enterprises(count_scale: float = 1.0, seed: int = 20250101) -> list[Enterprise]:
    rng = random.Random(seed)
    out: list[Enterprise] = []
    names: set[str] = set()
    codes: set[str] = set()
    for section, (count, classes, growth, words) in SECTION_PLAN.items():
        for _ in range(max(1, round(count * count_scale))):
            code = credit_code(rng, "320412" if rng.random() < 0.9 else "320400")
            while code in codes:
                code = credit_code(rng)
            codes.add(code)
            name = f"常州{rng.choice(NAME_WORDS)}{rng.choice(words)}有限公司"
            attempts = 0
            while name in names:
                prefix = rng.choice(NAME_WORDS) + rng.choice(NAME_WORDS)
                name = f"常州{prefix}{rng.choice(words)}有限公司"
                attempts += 1
                if attempts > 50:  # only at benchmark scale: the word lists run out
                    name = f"常州{prefix}{rng.choice(words)}{len(names)}号有限公司"
            names.add(name)
            industry = rng.choice(classes)
            pss = {"G": "02", "I": "03", "M": "01", "N": "05"}.get(
                section, "06" if industry.startswith("71") else "07"
            )
            board = rng.choice(BOARD_NAMES)
            zone = ZONE_OF_BOARD.get(board) if rng.random() < 0.45 else None
            annual = round(rng.lognormvariate(10.3, 0.8) + 12000)  # 千元; above 1000万 a year
            out.append(
                Enterprise(
                    code=code,
                    name=name,
                    board=board,
                    zone=zone,
                    industry=industry,
                    pss=pss,
                    prior_annual_qian=annual,
                    growth=growth + rng.gauss(0, 0.06),
                    margin=rng.uniform(-0.04, 0.16),
                    employees=max(5, round(annual / 1500)),
                    has_prior=rng.random() > 0.025,
                    first_month=2,
                )
            )
    rng.shuffle(out)
    # A few enter the above-scale list during the year.
    for i, month in enumerate((4, 4, 6, 6, 6, 8, 8)):
        out[-1 - i].first_month = month
    # 15 star enterprises by June: 8 awarded in April, 7 in June.
    starred = [e for e in out if e.first_month == 2][:15]
    for i, e in enumerate(starred):
        e.star = (4 if i < 8 else 6, STARS[min(i % 5 + (i // 10), 4)])
    return out + small_cells(codes, names)


# What a real district has and disclosure control must hold (each drawn from its own random
# stream, after the rest, so every other enterprise is as before): an industry section and a
# PSS category of two enterprises (machinery repair: section O, category 10), a category of one
# (a human-resources firm: category 08) and a board where one large enterprise makes nearly all
# the revenue (嘉泽镇: a logistics hub and three small firms).
SMALL_CELLS = (  # name, board, class, category, last year's revenue (千元), growth
    ("常州武进机电设备维修有限公司", "雪堰镇", "8113", "10", 16_400, 0.06),
    ("常州嘉禾工程机械修理有限公司", "礼嘉镇", "8111", "10", 21_800, 0.03),
    ("常州汇智人力资源服务有限公司", "湖塘镇", "7263", "08", 18_900, 0.12),
    ("常州嘉泽国际物流港有限公司", "嘉泽镇", "5920", "02", 640_000, 0.19),
    ("常州嘉泽仓储服务有限公司", "嘉泽镇", "5920", "02", 13_200, 0.05),
    ("常州嘉泽企业管理咨询有限公司", "嘉泽镇", "7211", "07", 12_600, 0.09),
    ("常州嘉泽检测技术有限公司", "嘉泽镇", "7452", "01", 14_100, 0.11),
)


def small_cells(codes: set[str], names: set[str]) -> list[Enterprise]:
    rng = random.Random("small-cells")
    out = []
    for name, board, industry, pss, annual, growth in SMALL_CELLS:
        code = credit_code(rng)
        while code in codes:
            code = credit_code(rng)
        codes.add(code)
        names.add(name)
        out.append(
            Enterprise(
                code=code,
                name=name,
                board=board,
                zone=None,
                industry=industry,
                pss=pss,
                prior_annual_qian=annual,
                growth=growth,
                margin=rng.uniform(0.02, 0.12),
                employees=max(5, round(annual / 1500)),
                has_prior=True,
                first_month=2,
            )
        )
    return out


def enterprise_ytd_qian(e: Enterprise, month: int, this_year: bool) -> int:
    share = sum(SEASON[:month])
    base = e.prior_annual_qian * share
    return round(base * (1 + e.growth)) if this_year else round(base)


def prior_profit_qian(e: Enterprise, month: int) -> int | None:
    """Last year's operating profit for the same months: last year's margin is this year's
    moved by up to two points either way (drawn from the enterprise's own stream, so every
    other figure is as before); none where there is no base year."""
    if not e.has_prior:
        return None
    last_year_margin = e.margin + random.Random(f"profit-{e.code}").uniform(-0.02, 0.015)
    return round(enterprise_ytd_qian(e, month, False) * last_year_margin)


def enterprises_sheet(month: int, rng: random.Random, enterprises: list[Enterprise]) -> Sheet:
    headers = [c.display_header for c in ENTERPRISES.columns]
    rows = []
    for e in (e for e in enterprises if month >= e.first_month):
        ytd = enterprise_ytd_qian(e, month, True)
        this_month = ytd if month == 2 else ytd - enterprise_ytd_qian(e, month - 1, True)
        prior = enterprise_ytd_qian(e, month, False) if e.has_prior else None
        star = e.star[1] if e.star and month >= e.star[0] else None
        rows.append(
            [
                len(rows) + 1,
                e.code,
                e.name,
                e.board,
                e.zone,
                e.industry,
                e.pss,
                this_month,
                ytd,
                prior,
                round(ytd * e.margin),
                prior_profit_qian(e, month),
                e.employees + (month % 3),
                star,
            ]
        )
    return Sheet(
        title=_period_title("武进区规模以上生产性服务业企业主要经济指标", month),
        unit_line="单位：千元、人",
        reporter="填报单位：区统计局",
        headers=headers,
        rows=rows,
        total=_totals(rows, list(range(7, 13)), 2, len(headers)),
    )


# ---------------------------------------------------------------- demand survey

# Respondents (of 214) answering 较强 or 强烈 for S01..S12: the six highest are S01..S06.
STRONG_COUNTS = (148, 136, 121, 115, 104, 97, 83, 71, 60, 44, 52, 38)
MANUFACTURER_WORDS = ("精密机械", "新材料", "电子", "汽车部件", "装备制造", "化工")
MANUFACTURING_CLASSES = (
    "1391",
    "1713",
    "2614",
    "2651",
    "2710",
    "2770",
    "2929",
    "3311",
    "3412",
    "3463",
    "3484",
    "3511",
    "3670",
    "3824",
    "3831",
    "3982",
    "4011",
)
URGENT = (
    "检验检测认证能力不足",
    "研发设计外包渠道少",
    "物流成本偏高",
    "融资渠道有限",
    "工业设计人才缺乏",
    "数字化转型咨询",
    "供应链协同平台",
)


def survey_sheet(month: int, rng: random.Random, respondents: int = 214) -> Sheet:
    services = survey_services()
    headers = [c.display_header for c in DEMAND_SURVEY.columns if c.name != "most_urgent_need"]
    for service in services:
        headers += [demand_header(service), f"{spend_header(service)}（万元）"]
    headers.append("最迫切的需求")
    strong_sets = [
        set(rng.sample(range(respondents), round(n * respondents / 214))) for n in STRONG_COUNTS
    ]
    codes: set[str] = set()
    rows = []
    for i in range(respondents):
        code = credit_code(rng)
        while code in codes:
            code = credit_code(rng)
        codes.add(code)
        revenue = round(rng.lognormvariate(9.6, 0.9) + 2000)  # 万元; above 2000万
        if i == 57:
            revenue = 1850  # one below the industry threshold: a warning, not an error
        row: list[object] = [
            i + 1,
            code,
            f"常州{rng.choice(NAME_WORDS)}{rng.choice(MANUFACTURER_WORDS)}股份有限公司",
            rng.choice(BOARD_NAMES),
            rng.choice(MANUFACTURING_CLASSES),
            revenue,
            max(20, round(revenue / 80)),
        ]
        for k, _service in enumerate(services):
            if i in strong_sets[k]:
                level = rng.choice(("较强", "强烈"))
                spend = round(rng.uniform(40, 600), 1)
            else:
                level = rng.choice(("无", "一般", "一般"))
                spend = round(rng.uniform(0, 60), 1) if level == "一般" else 0
            row += [level, spend]
        row.append(rng.choice(URGENT))
        rows.append(row)
    numeric = [5, 6] + [7 + 2 * k + 1 for k in range(len(services))]
    half = "上" if month <= 6 else "下"
    return Sheet(
        title=f"武进区规上制造业企业生产性服务需求调查表（{YEAR}年{half}半年）",
        unit_line="单位：万元、人",
        reporter="填报单位：区发改局",
        headers=headers,
        rows=rows,
        total=_totals(rows, numeric, 2, len(headers)),
    )


# ---------------------------------------------------------------- the files

# ---------------------------------------------------------------- the task force's work ledger

# The four enterprises landed in H1, as the source document names them, and two in Q3.
LANDED = {
    3: [("艾普拉斯检测", "上海市闵行区", "区市场监管局", "武进国家高新区", "01")],
    4: [("瑞工检测", "苏州市工业园区", "区商务局", "西太湖科技产业园", "01")],
    5: [("通用决策智能研究院", "北京市海淀区", "区科技局", "常州科教城", "03")],
    6: [("太湖人工智能研究院", "南京市江宁区", "区科技局", "太湖湾旅游度假区", "03")],
    7: [("华测智造供应链", "上海市嘉定区", "区商务局", "湖塘镇", "02")],
    9: [("金坛云算科技", "常州市金坛区", "区工信局", "GXQ", "03")],
}
# Visits out of the district: three or more every month but April (two), with 南京, 苏州 and
# 郑州 in the first half year.
VISIT_PLACES = [
    "南京市",
    "苏州市",
    "郑州市",
    "上海市浦东新区",
    "杭州市滨江区",
    "深圳市南山区",
    "北京市海淀区",
    "无锡市",
    "合肥市",
    "宁波市",
    "上海市闵行区",
    "广州市天河区",
]
VISITED = [
    "中电科研究院",
    "苏州汇川技术",
    "郑州宇通研发中心",
    "上海电气数科",
    "海康机器人",
    "深圳华大智造",
    "北京智谱华章",
    "无锡先导智能",
    "合肥科大讯飞",
    "宁波舜宇智能",
    "上海联影智能",
    "广州极飞科技",
]
VISITS_OUT = {1: 3, 2: 3, 3: 4, 4: 2, 5: 3, 6: 4, 7: 3, 8: 3, 9: 4, 10: 3, 11: 3, 12: 3}
VISITS_IN = {1: 3, 2: 3, 3: 3, 4: 4, 5: 3, 6: 3, 7: 3, 8: 4, 9: 3, 10: 3, 11: 3, 12: 3}
DEPARTMENTS = ["区商务局", "区发改局", "区科技局", "区工信局"]
LEDGER_BOARDS = ["武进国家高新区", "西太湖科技产业园", "常州科教城", "湖塘镇", "HTZ、GXQ"]

# Media reports: the two national/provincial ones of H1 the source document names; the rest
# city and district media.
MEDIA_ABOVE = {
    4: ("央广网", "中央", "湖塘科技产业园：生产性服务业集聚发展见成效", "湖塘科技产业园"),
    5: ("新华日报", "省级", "武进绿建区：绿色建筑服务业集聚区加速成势", "绿建区集聚区"),
    8: ("交汇点新闻", "省级", "武进以生产性服务业赋能制造业转型升级", "武进区"),
}
CITY_MEDIA = ["常州日报", "常州广播电视台", "中吴网"]
DISTRICT_MEDIA = ["武进日报", "武进广播电视台", "今日武进"]
MEDIA_PER_MONTH = {
    1: (0, 0),
    2: (0, 1),
    3: (1, 1),
    4: (0, 2),
    5: (1, 1),
    6: (0, 2),
    7: (1, 1),
    8: (0, 1),
    9: (1, 2),
    10: (1, 1),
    11: (0, 1),
    12: (1, 2),
}  # (city, district); October to December: benchmarks' data only
SUBJECTS = ["西太湖科技产业园", "常州科教城", "武进国家高新区", "湖塘科技产业园", "重点项目"]

# Trainings: 区发改局's management course at 中国科技大学 and three AI-topic enterprise courses
# by 区现代服务业商会 in H1; January, February, July and September have none.
TRAININGS = {
    3: [("区现代服务业商会", "人工智能赋能生产性服务业专题培训", "企业", 86, "常州科教城")],
    4: [("区现代服务业商会", "AI大模型应用实务培训", "企业", 72, "西太湖科技产业园")],
    5: [("区发改局", "生产性服务业高质量发展专题研修班", "管理人员", 45, "中国科技大学")],
    6: [("区现代服务业商会", "人工智能+工业设计培训", "企业", 64, "武进国家高新区")],
    8: [("区发改局", "生产性服务业统计业务培训", "管理人员", 58, "区行政中心")],
}


def _ledger_sheet(title: str, part, rows: list[list[object]], unit_line: str) -> Sheet:
    return Sheet(
        title=f"武进区生产性服务业工作台账·{title}",
        unit_line=unit_line,
        reporter="填报单位：区生产性服务业工作专班办公室",
        headers=[c.display_header for c in part.columns],
        rows=rows,
        total=None,
    )


def ledger_sheets(month: int, rng: random.Random) -> list[tuple[str, Sheet]]:
    """The month's three sheets of events; a sheet with no events keeps its header."""
    recruitment_part, media_part, training_part = LEDGER.parts
    recruitment = []
    days = iter(sorted(rng.sample(range(1, 29), 20)))

    def day() -> dt.date:
        return dt.date(YEAR, month, next(days))

    for i in range(VISITS_OUT[month]):
        k = (month * 3 + i) % len(VISIT_PLACES) if month > 3 or i else month - 1
        place = VISIT_PLACES[k]
        recruitment.append(
            [
                day(),
                "外出拜访",
                VISITED[k],
                place,
                rng.choice(DEPARTMENTS),
                rng.choice(LEDGER_BOARDS),
                None,
                None,
            ]
        )
    for _ in range(VISITS_IN[month]):
        recruitment.append(
            [
                day(),
                "邀请来访",
                rng.choice(VISITED) + "考察团",
                rng.choice(VISIT_PLACES),
                rng.choice(DEPARTMENTS),
                rng.choice(LEDGER_BOARDS),
                None,
                None,
            ]
        )
    for name, place, department, board, pss in LANDED.get(month, []):
        recruitment.append([day(), "签约落地", name, place, department, board, pss, "已签约"])
    recruitment.sort(key=lambda r: r[0])
    media = []
    if month in MEDIA_ABOVE:
        outlet, level, title, subject = MEDIA_ABOVE[month]
        media.append([day(), outlet, level, title, subject])
    city, district = MEDIA_PER_MONTH[month]
    for n, (outlets, level) in enumerate(((CITY_MEDIA, "市级"), (DISTRICT_MEDIA, "区级"))):
        for i in range((city, district)[n]):
            subject = rng.choice(SUBJECTS)
            media.append(
                [
                    day(),
                    outlets[(month + i) % 3],
                    level,
                    f"{subject}生产性服务业{month}月工作动态（{i + 1}）",
                    subject,
                ]
            )
    media.sort(key=lambda r: r[0])
    trainings = [[day(), *t] for t in TRAININGS.get(month, [])]
    period = f"（{YEAR}年{month}月）"

    def numbered(rows: list[list[object]]) -> list[list[object]]:
        return [[i + 1, *r] for i, r in enumerate(rows)]

    return [
        (
            "招引活动",
            _ledger_sheet("招引活动" + period, recruitment_part, numbered(recruitment), ""),
        ),
        ("宣传报道", _ledger_sheet("宣传报道" + period, media_part, numbered(media), "")),
        (
            "培训活动",
            _ledger_sheet("培训活动" + period, training_part, numbered(trainings), "单位：人"),
        ),
    ]


FILE_NAMES = {  # how each department writes the month in its file names
    "projects": lambda m: f"{PROJECTS.file_stem}_{YEAR}-{m:02d}.xlsx",
    "zones": lambda m: f"{ZONES.file_stem}_{YEAR}年{m}月.xlsx",
    "enterprises": lambda m: f"{ENTERPRISES.file_stem}_{YEAR}{m:02d}.xlsx",
    "demand_survey": lambda m: f"{DEMAND_SURVEY.file_stem}_{YEAR}-{m:02d}.xlsx",
    "ledger": lambda m: f"{LEDGER.file_stem}_{YEAR}-{m:02d}.xlsx",
    "city": lambda m: f"{CITY.file_stem}_{YEAR}-{m:02d}.xlsx",
}


SOURCES_WRITTEN = ("projects", "zones", "enterprises", "demand_survey", "ledger", "city")


# ---------------------------------------------------------------- the city's table

CITY_SECTIONS = ("G", "I", "L", "M", "N")  # what the city's sample table publishes
# the other areas of Changzhou: (code, as the table writes it, revenue of 1-9月 last year in
# 亿元, growth of all above-scale services, of each section: below Wujin's L throughout)
CITY_AREAS = (
    ("320402", "天宁区", 182.0, 0.081, {"G": 0.06, "I": 0.11, "L": 0.09, "M": 0.07, "N": 0.03}),
    ("320404", "钟楼区", 205.0, 0.074, {"G": 0.05, "I": 0.12, "L": 0.10, "M": 0.08, "N": 0.02}),
    ("320411", "新北区", 356.0, 0.132, {"G": 0.21, "I": 0.14, "L": 0.16, "M": 0.26, "N": 0.05}),
    ("320413", "金坛区", 96.0, 0.068, {"G": 0.07, "I": 0.05, "L": 0.06, "M": 0.04, "N": 0.01}),
    ("320481", "溧阳市", 118.0, 0.059, {"G": 0.08, "I": 0.04, "L": 0.05, "M": 0.06, "N": 0.02}),
    ("CZJK", "经开区", 88.0, 0.117, {"G": 0.12, "I": 0.09, "L": 0.13, "M": 0.10, "N": 0.04}),
)
SECTION_SHARE = {"G": 0.42, "I": 0.12, "L": 0.24, "M": 0.14, "N": 0.05}  # of an area's whole


def own_sections(month: int, enterprises: list[Enterprise]) -> dict[str, tuple[float, float]]:
    """psw's own figures for the district from the enterprises' sample: per section (and
    'ALL'), YTD revenue in 亿元 and growth on the comparable basis."""
    sums: dict[str, list[float]] = {}
    for e in enterprises:
        if month < e.first_month:
            continue
        section = reference.section_of_division(e.industry[:2])
        ytd = enterprise_ytd_qian(e, month, True) / 100_000  # 千元 -> 亿元
        prior = enterprise_ytd_qian(e, month, False) / 100_000 if e.has_prior else 0.0
        for key in (section, "ALL"):
            total = sums.setdefault(key, [0.0, 0.0, 0.0])
            total[0] += ytd
            if prior > 0:
                total[1] += ytd
                total[2] += prior
    return {
        k: (ytd, (comparable / prior - 1) if prior else 0.0)
        for k, (ytd, comparable, prior) in sums.items()
    }


def city_sheet(month: int, rng: random.Random, enterprises: list[Enterprise]) -> Sheet:
    names = {r["section_code"]: r["section_name"] for r in reference.table("gbt4754_sections")}
    own = own_sections(month, enterprises)
    share = sum(SEASON[:month]) / sum(SEASON[:9])
    rows = []
    # Wujin: all its above-scale services, of which the producer services are about 74 %
    pss_ytd, pss_growth = own["ALL"]
    wujin = ["武进区", round(pss_ytd / 0.74, 2), round((pss_growth - 0.032) * 100, 1)]
    for s in CITY_SECTIONS:
        ytd, growth = own.get(s, (0.0, 0.0))
        wujin += [round(ytd / 0.9, 2), round((growth + rng.uniform(-0.015, 0.015)) * 100, 1)]
    for code, name, annual, growth, sections in CITY_AREAS:
        whole = annual * share * (1 + growth)
        row = [name, round(whole, 2), round(growth * 100 + rng.uniform(-0.4, 0.4), 1)]
        for s in CITY_SECTIONS:
            row += [round(whole * SECTION_SHARE[s], 2), round(sections[s] * 100, 1)]
        rows.append(row)
        if code == "320411":
            rows.append(wujin)  # the city lists its areas by code
    growths = [(r[1], r[2]) for r in rows]
    city = ["全市", round(sum(r[1] for r in rows), 2)]
    city.append(round((city[1] / sum(w / (1 + g / 100) for w, g in growths) - 1) * 100, 1))
    for i, _ in enumerate(CITY_SECTIONS):
        revenue = [(r[3 + 2 * i], r[4 + 2 * i]) for r in rows]
        total = sum(w for w, _ in revenue)
        city += [
            round(total, 2),
            round((total / sum(w / (1 + g / 100) for w, g in revenue) - 1) * 100, 1),
        ]
    headers = ["地区", "1-本月营业收入（亿元）", "同比增长（%）"] * 1
    groups = [(1, 2, "规模以上服务业")]
    for i, s in enumerate(CITY_SECTIONS):
        headers += ["1-本月营业收入（亿元）", "同比增长（%）"]
        groups.append((3 + 2 * i, 4 + 2 * i, names[s]))
    return Sheet(
        title=_period_title("常州市各辖市（区）规模以上服务业主要指标", month),
        unit_line="单位：亿元、%",
        reporter="常州市统计局",
        headers=headers,
        rows=rows,
        total=city,
        total_on_top=True,
        group_headers=groups,
    )


def generate(
    out: Path,
    months: list[int],
    enterprises: int = 450,
    projects: int = 20,
    sources: tuple[str, ...] = SOURCES_WRITTEN,
    year: int = 2025,
) -> list[Path]:
    """Write the files of `months` of `year`; the defaults are the sample, larger counts and
    other years a benchmark's data (every year has 2025's shape, under its own dates)."""
    global YEAR
    YEAR = year  # the sheets' titles, dates and codes, and the file names, read it
    written = []
    firms = build_enterprises(count_scale=enterprises / 450)
    project_list = scaled_projects(projects)
    for month in months:
        jobs = [
            ("projects", PROJECTS.sheet, lambda m, r: projects_sheet(m, r, project_list)),
            ("zones", ZONES.sheet, zones_sheet),
        ]
        if month >= 2:  # January is reported inside February (1-2月)
            jobs.append(
                ("enterprises", ENTERPRISES.sheet, lambda m, r: enterprises_sheet(m, r, firms))
            )
            jobs.append(("city", CITY.sheet, lambda m, r: city_sheet(m, r, firms)))
        if month in (6, 12):
            jobs.append(("demand_survey", DEMAND_SURVEY.sheet, survey_sheet))
        jobs.append(("ledger", None, ledger_sheets))
        for source, sheet_name, build in jobs:
            if source not in sources:
                continue
            rng = random.Random(f"{source}-{YEAR}-{month:02d}")
            path = out / source / FILE_NAMES[source](month)
            built = build(month, rng)
            sheets = built if sheet_name is None else [(sheet_name, built)]
            for _, sheet in sheets:
                sheet.filed = f"{YEAR + month // 12}-{month % 12 + 1:02d}-05"
            write_workbook(path, sheets, rng)
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument(
        "--months",
        default=f"{YEAR}-01..{YEAR}-09",
        help="range of months, e.g. 2025-01..2025-09 (the sample), 2021-01..2025-12",
    )
    parser.add_argument(
        "--enterprises",
        type=int,
        default=450,
        help="above-scale enterprises (benchmarks: e.g. 100000)",
    )
    parser.add_argument("--projects", type=int, default=20, help="key projects (at least 20)")
    parser.add_argument(
        "--sources",
        default=",".join(SOURCES_WRITTEN),
        help="which sources to write, comma-separated",
    )
    args = parser.parse_args()
    first, last = (
        int(year) * 12 + int(month) - 1
        for year, month in (m.split("-") for m in args.months.split(".."))
    )
    for year in range(first // 12, last // 12 + 1):
        months = [m % 12 + 1 for m in range(first, last + 1) if m // 12 == year]
        for path in generate(
            args.out,
            months,
            args.enterprises,
            args.projects,
            tuple(args.sources.split(",")),
            year=year,
        ):
            print(path)


if __name__ == "__main__":
    main()
