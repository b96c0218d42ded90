"""The analysis (运行分析) as one self-contained HTML file: text, inline SVG charts, the same
tables as the workbook and the files behind them. Nothing in it refers outside the file."""

from __future__ import annotations

from html import escape

from orchestration.lib.report.charts import CJK_FONTS, Chart, charts
from orchestration.lib.report.data import Report
from orchestration.lib.report.paragraphs import analysis
from orchestration.lib.report.tables import FLAG, TEXT, Table, shown

FONT_STACK = ", ".join(f'"{f}"' for f in CJK_FONTS) + ", sans-serif"

STYLE = f"""
body {{ font-family: {FONT_STACK}; color: #222; max-width: 980px; margin: 2em auto;
       padding: 0 1em; line-height: 1.7; }}
h1 {{ text-align: center; font-size: 1.6em; margin-bottom: .2em; }}
.subtitle {{ text-align: center; color: #555; margin-top: 0; }}
.signoff {{ text-align: center; font-size: .9em; color: #333; text-indent: 0; }}
.signoff.draft {{ color: #b00; font-weight: bold; }}
h2 {{ border-left: 5px solid #1f5fa8; padding-left: .5em; font-size: 1.25em; margin-top: 1.6em; }}
p {{ text-indent: 2em; margin: .5em 0; }}
figure {{ margin: 1.2em 0; text-align: center; }}
figure svg {{ max-width: 100%; height: auto; }}
svg text {{ font-family: {FONT_STACK} !important; }}
figcaption {{ color: #444; font-size: .95em; }}
table {{ border-collapse: collapse; width: 100%; margin: .6em 0 .2em; font-size: .88em; }}
caption {{ font-weight: bold; font-size: 1.05em; padding: .4em; }}
th, td {{ border: 1px solid #999; padding: 3px 6px; }}
th {{ background: #e8eef6; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.total td {{ font-weight: bold; background: #f6f6f6; }}
tr.behind td {{ color: #c0392b; }}
.unit {{ text-align: right; font-size: .85em; color: #555; margin: 0; text-indent: 0; }}
.note {{ font-size: .85em; color: #555; text-indent: 0; margin: .1em 0; }}
ul.quality li {{ margin: .2em 0; }}
footer {{ margin-top: 2em; font-size: .8em; color: #555; border-top: 1px solid #ccc; }}
footer td {{ font-family: monospace; font-size: .95em; }}
@media print {{ body {{ max-width: none; }} figure, table {{ page-break-inside: avoid; }} }}
"""


def _table(table: Table) -> str:
    spec = table.spec
    head = "".join(f"<th>{escape(c.header)}</th>" for c in spec.columns)

    def row(values: dict, css: str = "") -> str:
        cells = []
        for column in spec.columns:
            text = shown(column, values)
            numeric = column.kind not in (TEXT, FLAG)
            cells.append(
                f'<td class="n">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"
            )
        return f'<tr class="{css}">' + "".join(cells) + "</tr>"

    body = [row(values, "total") for values in table.summary_rows]
    for values in table.rows:
        body.append(row(values, "behind" if values.get("is_behind_schedule") else ""))
    notes = "".join(
        f'<p class="note">{"注：" if i == 0 else "　　"}{escape(n)}</p>'
        for i, n in enumerate(table.notes)
    )
    return (
        f"<table><caption>{escape(table.title)}</caption>"
        f'<thead><tr><th colspan="{len(spec.columns)}" class="unit">{escape(spec.unit_line)}'
        f"</th></tr><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{notes}"
    )


def render(report: Report, drawn: list[tuple[str, Chart]] | None = None) -> str:
    """The analysis page for the month (`drawn`: its charts, if already drawn)."""
    title = f"武进区生产性服务业运行分析（{report.ytd_label}）"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<p class="subtitle">武进区生产性服务业发展工作专班 · 区统计局</p>',
    ]
    if report.signoff is not None:
        kind = "signoff draft" if report.signoff.version is None else "signoff"
        parts.append(f'<p class="{kind}">{escape(report.signoff.line())}</p>')
    for heading, paragraphs in analysis(report):
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in paragraphs]
    drawn = charts(report) if drawn is None else drawn
    if drawn:
        parts.append("<h2>图表</h2>")
        for caption, chart in drawn:
            parts.append(
                f'<figure class="chart">{chart.svg}<figcaption>{escape(caption)}</figcaption>'
                "</figure>"
            )
    parts.append("<h2>数据质量说明</h2>")
    if report.quality_notes:
        parts.append('<ul class="quality">')
        parts += [f"<li>{escape(note)}</li>" for note in report.quality_notes]
        parts.append("</ul>")
    else:
        parts.append("<p>本月各部门报表均已入库，校验未发现问题。</p>")
    parts.append("<h2>统计表</h2>")
    parts += [_table(table) for table in report.tables.values()]
    parts.append(_files(report))
    parts.append("</body></html>")
    return "\n".join(parts)


def _files(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{escape(f.month)}</td><td>{escape(f.source_title)}</td>"
        f"<td>{escape(f.file_name)}</td><td>{f.sha256}</td>"
        f"<td>{f.loaded_at:%Y-%m-%d %H:%M:%S}</td></tr>"
        for f in report.files
    )
    return (
        "<footer><p>数据来源文件（本年各月入库的报表，SHA-256 与入库时间 UTC）：</p>"
        "<table><thead><tr><th>月份</th><th>报表</th><th>文件</th><th>SHA-256</th>"
        f"<th>入库时间</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p>本文件由 psw 生产性服务业统计数据仓库生成。</p></footer>"
    )
