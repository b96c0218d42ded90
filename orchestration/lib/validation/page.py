"""The validation report of one delivered file: a page of its own, with nothing outside it
(styles inline, no script, no font or image fetched), so that it opens on an offline machine;
`make ui` serves the folder on 127.0.0.1 and each check links to its page.

GX's own Data Docs (`make docs`) load their styles and scripts from CDNs and render blank
offline; this page is what a data owner opens from the check."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.loading.outcome import REJECTED, LoadOutcome

INDEX = "index.html"
LOG = "index.jsonl"  # one line a page, newest last: what the index lists

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1.5em;
  color: #1d2433; line-height: 1.5; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.8em; }
.verdict { display: inline-block; padding: 0.25em 0.8em; border-radius: 4px; font-weight: 700; }
.rejected { background: #fde2e1; color: #a4161a; } .warned { background: #fff3cd; color: #7a5200; }
.passed { background: #dff3e4; color: #1b6b34; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
dt { color: #5b6478; } dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #d5d9e2; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #f1f3f7; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td:first-child { border-left: 4px solid #c9252b; }
tr.warn td:first-child { border-left: 4px solid #d99a00; }
.ok { color: #1b6b34; } .no { color: #a4161a; font-weight: 700; }
footer { margin-top: 2.5em; color: #5b6478; font-size: 0.85em; }
"""


def _table(headers: list[str], rows: list[tuple[str, list[str]]], numeric: set[int]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        f'<tr class="{kind}">'
        + "".join(
            f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(cells)
        )
        + "</tr>"
        for kind, cells in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def verdict(outcome: LoadOutcome) -> tuple[str, str]:
    """(css class, label) of the outcome."""
    if outcome.status == REJECTED:
        return "rejected", "拒收 / REJECTED: nothing of the file was loaded"
    if outcome.warnings:
        return "warned", "已载入，有警告 / LOADED with warnings"
    return "passed", "通过 / PASSED: every rule holds"


def render(outcome: LoadOutcome) -> str:
    rules = catalogue()
    source = SOURCES[outcome.source]
    kind, label = verdict(outcome)
    facts = [
        ("来源 / source", f"{source.title_zh} / {source.title_en} ({source.name})"),
        ("报告期 / month", outcome.month),
        ("文件 / file", outcome.file.name if outcome.file else "-"),
        ("SHA-256", outcome.sha256 or "-"),
        ("工作表 / sheets", "、".join(outcome.sheets_read) or "-"),
        ("读取行数 / rows read", f"{outcome.rows_read:,}"),
        (
            "校验时间 / validated (UTC)",
            f"{outcome.validated_at:%Y-%m-%d %H:%M:%S}" if outcome.validated_at else "-",
        ),
    ]
    problems = [
        (
            "fail" if p.severity == "error" else "warn",
            [
                p.rule,
                rules[p.rule].text,
                "错误 / error" if p.severity == "error" else "警告 / warning",
                p.sheet or "",
                p.column or "",
                ", ".join(map(str, p.rows)) or (str(p.row) if p.row else ""),
                f"{p.count:,}",
                p.message,
            ],
        )
        for p in outcome.problems
    ]
    checked = [
        (
            "" if r.passed else ("fail" if rules[r.rule].severity == "error" else "warn"),
            [
                r.rule,
                rules[r.rule].text,
                r.sheet,
                r.column or "",
                "✓ 通过 / holds" if r.passed else "✗ 未通过 / broken",
                "" if r.passed else f"{r.failing:,}",
            ],
        )
        for r in outcome.checked
    ]
    sections = [
        f'<h1>校验报告 / Validation report</h1><p class="verdict {kind}">{escape(label)}</p>',
        "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts) + "</dl>",
        "<h2>未通过的规则 / Rules broken</h2>",
        _table(
            [
                "规则 / rule",
                "说明 / what it asks",
                "级别 / severity",
                "工作表 / sheet",
                "列 / column",
                "Excel 行 / rows",
                "行数 / rows failing",
                "详情 / detail",
            ],
            problems,
            {6},
        )
        if problems
        else "<p>无 / none</p>",
        "<h2>已检查的规则 / Every rule checked</h2>",
        _table(
            [
                "规则 / rule",
                "说明 / what it asks",
                "工作表 / sheet",
                "列 / column",
                "结果 / result",
                "未通过行数 / rows failing",
            ],
            checked,
            {5},
        )
        if checked
        else "<p>校验套件未运行：文件在读取时即被拒收（见上表） / The suite did not run: the file "
        "was rejected as it was read (see above).</p>",
        "<footer>每条规则的说明与修改方法见仓库中的 docs/contract.md / Every rule, and how to fix "
        "a file, is explained in docs/contract.md. Written by psw when the file was validated."
        "</footer>",
    ]
    title = f"校验报告 / Validation: {outcome.file.name if outcome.file else outcome.source}"
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + "\n".join(sections)
        + "</body></html>\n"
    )


def write_page(outcome: LoadOutcome, pages_dir: Path) -> Path:
    """Write the outcome's page under pages_dir/<source>/<month>/ and list it in the index."""
    stamp = f"{outcome.validated_at:%Y%m%dT%H%M%S%f}" if outcome.validated_at else "undated"
    page = pages_dir / outcome.source / outcome.month / f"{stamp}_{(outcome.sha256 or '')[:8]}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render(outcome), encoding="utf-8")
    entry = {
        "page": page.relative_to(pages_dir).as_posix(),
        "source": outcome.source,
        "month": outcome.month,
        "file": outcome.file.name if outcome.file else "",
        "verdict": verdict(outcome)[0],
        "rules": outcome.rules,
        "validated_at": f"{outcome.validated_at:%Y-%m-%d %H:%M:%S}" if outcome.validated_at else "",
    }
    with open(pages_dir / LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    write_index(pages_dir)
    return page


def write_index(pages_dir: Path) -> Path:
    """Every validation page, newest first."""
    log = pages_dir / LOG
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
    labels = {"rejected": "拒收 / rejected", "warned": "警告 / warnings", "passed": "通过 / passed"}
    rows = "".join(
        f'<tr class="{"fail" if e["verdict"] == "rejected" else ""}">'
        f"<td>{escape(e['validated_at'])}</td><td>{escape(e['source'])}</td>"
        f"<td>{escape(e['month'])}</td>"
        f'<td><a href="{escape(e["page"])}">{escape(e["file"])}</a></td>'
        f"<td>{escape(labels[e['verdict']])}</td><td>{escape(', '.join(e['rules']))}</td></tr>"
        for e in reversed(entries)
    )
    index = pages_dir / INDEX
    index.write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>校验报告 / Validations</title><style>{STYLE}</style></head><body>"
        "<h1>校验报告 / Validations</h1><p>每次载入一个文件，一页报告，最新在前 / A page for "
        "every file validated, newest first.</p><table><thead><tr><th>时间 / when (UTC)</th>"
        "<th>来源 / source</th><th>报告期 / month</th><th>文件 / file</th><th>结果 / result</th>"
        f"<th>规则 / rules</th></tr></thead><tbody>{rows}</tbody></table></body></html>\n",
        encoding="utf-8",
    )
    return index
