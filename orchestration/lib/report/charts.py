"""The analysis's charts, drawn by matplotlib as inline SVG: no script, no network.

Text stays text (`svg.fonttype: none`), so the reader's browser draws it in the page's CJK
font stack (the page names the fonts every Chinese-locale system has); matplotlib lays it out
with a CJK font where one is installed.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import warnings
from dataclasses import dataclass
from functools import cache

from orchestration.lib.report.data import Report

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
BLUE, RED, GREY, GREEN = "#1f5fa8", "#c0392b", "#7f8c8d", "#2e8b57"


@cache
def cjk_fonts() -> dict[str, frozenset[str]]:
    """The Chinese fonts fontconfig knows of: each file and its family names (the charts'
    PNG needs a file, the Word document names a family)."""
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    fonts: dict[str, frozenset[str]] = {}
    for line in listed.splitlines():
        path, _, families = line.partition(":")
        names = frozenset(n.strip() for n in families.split(",") if n.strip())
        fonts[path.strip()] = fonts.get(path.strip(), frozenset()) | names
    return fonts


@cache
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(CJK_FONTS):
        # matplotlib's own search skips font collections (.ttc), which is how Debian ships
        # Noto CJK: the PNG pictures (the Word document's) need one to draw Chinese
        files = (f for f in cjk_fonts() if f.endswith((".ttc", ".otf", ".ttf")) and "Sans" in f)
        for path in sorted(files):
            with contextlib.suppress(Exception):  # a file FreeType cannot read is skipped
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    plt.rcParams.update(
        {
            # a name is text: `$…$` in a project's name is not mathematics to typeset (an
            # unbalanced `$_$` would end the report), nor is any other markup
            "text.parse_math": False,
            "text.usetex": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "psw",  # the same numbers draw the same file
            "font.family": "sans-serif",
            "font.sans-serif": [f for f in CJK_FONTS if f in installed] + ["DejaVu Sans"],
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
        }
    )
    return plt


@dataclass(frozen=True)
class Chart:
    svg: str  # for the HTML page, inline
    png: bytes  # for the Word document


def _svg(figure) -> Chart:
    """The figure drawn twice from the same layout: SVG for the page, PNG for Word."""
    plt = _pyplot()
    buffer, image = io.StringIO(), io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph missing" where no CJK font is installed
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        figure.savefig(
            image, format="png", bbox_inches="tight", dpi=150, metadata={"Software": None}
        )
    plt.close(figure)
    svg = buffer.getvalue()
    return Chart(svg[svg.index("<svg") :], image.getvalue())


def growth_by_month(report: Report) -> Chart | None:
    """The year month by month: 1-本月营业收入 beside the same months of last year (where the
    release has them: the comparable base), and the growth against the year's target."""
    series = report.growth_by_month
    if not series:
        return None
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 3.4))
    labels = [f"1-{m}" if m != "1月" else m for m, _, _ in series]
    positions = range(len(labels))
    revenue = dict((m, (v, e)) for m, v, e in report.revenue_by_month)
    this_year = [revenue.get(m, (None, None))[0] for m, _, _ in series]
    last_year = [revenue.get(m, (None, None))[1] for m, _, _ in series]
    bars = axes
    if any(v is not None for v in this_year):
        bars = axes.twinx()  # revenue behind, on the right; growth in front, on the left
        axes.set_zorder(bars.get_zorder() + 1)
        axes.patch.set_visible(False)
        width = 0.38 if any(v is not None for v in last_year) else 0.6
        shift = width / 2 if width < 0.5 else 0
        bars.bar(
            [p + shift for p in positions],
            [v or 0 for v in this_year],
            width,
            color="#a9c4e4",
            label=f"{report.period.year}年营业收入（亿元）",
        )
        if any(v is not None for v in last_year):
            bars.bar(
                [p - shift for p in positions],
                [v or 0 for v in last_year],
                width,
                color="#d5d8dc",
                label=f"{report.period.year - 1}年同期（亿元）",
            )
        bars.set_ylabel("亿元")
        bars.set_ylim(0, max(v or 0 for v in this_year + last_year) * 1.6)
    values = [v for _, v, _ in series]
    axes.plot(positions, values, marker="o", color=BLUE, label="营业收入累计同比增速（%）")
    for x, y in zip(positions, values, strict=True):
        axes.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center")
    targets = [t for _, _, t in series if t is not None]
    if targets:
        axes.axhline(targets[-1], color=RED, linestyle="--", label=f"全年目标 {targets[-1]:g}%")
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("%")
    axes.set_ylim(0, max(values + targets) * 1.35)
    handles = axes.get_legend_handles_labels()
    if bars is not axes:
        more = bars.get_legend_handles_labels()
        handles = (handles[0] + more[0], handles[1] + more[1])
    axes.legend(*handles, loc="upper left", frameon=False, ncol=2, fontsize=8)
    axes.set_title(f"规上生产性服务业企业营业收入及增速（{report.ytd_label}）")
    return _svg(figure)


def _value_label(axes, value: float, y: int, text: str, **style) -> None:
    """A bar's value just past its end, over a white ground: a dashed line (全区, 序时进度)
    passing there runs behind the figure, never through it."""
    axes.annotate(
        text,
        (value, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        zorder=3,
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        **style,
    )


def _legend_beside(axes) -> None:
    """The legend right of the plot, where no bar or label can be under it."""
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def _bars(rows: list[tuple[str, float]], title: str, average: float | None, unit: str = "%"):
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 0.42 * len(rows) + 1.2))
    names = [n for n, _ in rows][::-1]
    values = [v for _, v in rows][::-1]
    colours = [BLUE if average is None or v >= average else GREY for v in values]
    axes.barh(names, values, color=colours)
    for y, v in enumerate(values):
        _value_label(axes, v, y, f"{v:.1f}")
    if average is not None:
        axes.axvline(average, color=RED, linestyle="--", label=f"全区 {average:.1f}{unit}")
        _legend_beside(axes)
    low = min([0.0, *values]) * 1.2  # a part that pulled the growth down reaches left
    axes.set_xlim(low, max(values + [average or 0]) * 1.2 or 1)
    axes.set_title(title)
    return _svg(figure)


def growth_by(report: Report, scope_type: str, label: str) -> Chart | None:
    """Revenue growth of each section or board against the district's."""
    rows = report.scopes("ENT_REV_YOY", scope_type)
    if not rows:
        return None
    return _bars(
        [(r["scope_name_zh"], r["value"]) for r in rows],
        f"{report.ytd_label}{label}营业收入增速（%）",
        report.value("ENT_REV_YOY"),
    )


def pull_by_section(report: Report) -> Chart | None:
    """What each section pulled the district's revenue growth by (拉动, 百分点)."""
    rows = report.scopes("ENT_REV_PULL", "industry_section")
    if not rows:
        return None
    return _bars(
        [(r["scope_name_zh"], r["value"]) for r in rows],
        f"{report.ytd_label}分行业门类拉动全区营业收入增长（百分点）",
        None,
    )


# A chart of more bars than this is not read (and matplotlib takes seconds a hundred bars):
# beyond it the chart shows the projects furthest behind, and the table lists every one.
CHART_PROJECTS = 30


def projects_against_schedule(report: Report) -> Chart | None:
    """Each key project's share of its year's plan against 序时进度 (the CHART_PROJECTS
    lowest shares when there are more)."""
    table = report.tables.get("key_projects")
    if table is None or not table.rows:
        return None
    every = sorted(table.rows, key=lambda r: r["plan_share_pct"] or 0)
    rows = every[:CHART_PROJECTS]
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.2))
    names = [r["project_name"] for r in rows]
    values = [r["plan_share_pct"] or 0 for r in rows]
    colours = [RED if r["is_behind_schedule"] else GREEN for r in rows]
    axes.barh(names, values, color=colours)
    for y, v in enumerate(values):
        _value_label(axes, v, y, f"{v:.1f}", fontsize=8)
    schedule = rows[0]["time_schedule_pct"]
    axes.axvline(schedule, color=BLUE, linestyle="--", label=f"序时进度 {schedule:.1f}%")
    _legend_beside(axes)
    axes.set_xlim(0, max(values + [schedule]) * 1.15)
    axes.tick_params(axis="y", labelsize=8)
    if len(every) > len(rows):
        axes.set_title(
            f"完成年度计划投资比例最低的{len(rows)}个重点项目（%，{report.ytd_label}；"
            f"共{len(every)}个，见表）"
        )
    else:
        axes.set_title(f"重点项目完成年度计划投资（%，{report.ytd_label}）")
    return _svg(figure)


def charts(report: Report) -> list[tuple[str, Chart]]:
    """(caption, chart) for every chart the month has data for."""
    drawn = [
        ("图1 营业收入及增速（与上年同期、全年目标）", growth_by_month(report)),
        ("图2 分行业门类营业收入增速", growth_by(report, "industry_section", "分行业门类")),
        ("图3 分行业门类拉动增长", pull_by_section(report)),
        ("图4 分板块营业收入增速", growth_by(report, "board", "分板块")),
        ("图5 重点项目投资进度与序时进度", projects_against_schedule(report)),
    ]
    return [(caption, chart) for caption, chart in drawn if chart]
