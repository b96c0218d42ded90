"""The monthly report from a real `make run`: the workbook read back by another reader
(python-calamine) against the warehouse, the analysis's sentences against the published
figures, and the page opened in Debian's chromium with every network request refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path, PurePosixPath

import pytest
from conftest import CHROMIUM, RAW, REPO, launch_chromium, run_cli
from python_calamine import CalamineWorkbook
from test_pipeline import PUBLISHED

SHEETS = [
    "主要指标", "分行业门类", "分类别", "分板块", "全市比较",
    "重点项目", "集聚区", "需求调查", "图表",
]  # fmt: skip
NO_TOTAL = ("主要指标", "全市比较")  # the city's table leads with all above-scale services
ROUNDING = "部分数据因四舍五入的原因，存在总计与分项合计不等的情况"
# columns whose 合计 is the sum of the rows, by sheet (headers as the departments write them)
ADDITIVE = {
    "分行业门类": [
        "企业数（家）",
        "营业收入（1-本月）",
        "营业利润（1-本月）",
        "拉动增长（百分点）",
    ],  # fmt: skip
    "分类别": ["企业数（家）", "营业收入（1-本月）", "拉动增长（百分点）", "贡献率（%）"],
    "分板块": ["企业数（家）", "营业收入（1-本月）", "拉动增长（百分点）", "贡献率（%）"],
    "重点项目": ["总投资", "年度计划投资", "1-本月完成投资"],
    "集聚区": ["完成投资", "营业收入", "利润总额", "税收收入", "入区企业（家）", "规上企业（家）"],
    "需求调查": ["年采购额"],
}


def report_files(folder: Path, month: str) -> tuple[Path, Path]:
    label = f"{month[:4]}年{int(month[5:])}月"
    return (
        folder / month / f"武进区生产性服务业统计月报_{label}.xlsx",
        folder / month / f"武进区生产性服务业运行分析_{label}.html",
    )


def month_report(make_run, tmp_path_factory, month: str) -> dict:
    """`make report MONTH=<month>`'s command on the warehouse `make run` loaded, into the
    folder $PSW_REPORT_DIR names."""
    reports = tmp_path_factory.mktemp("reports")
    env = {
        "PSW_RAW_DIR": str(RAW),
        "PSW_WAREHOUSE_PATH": str(make_run["warehouse"]),
        "DAGSTER_HOME": str(make_run["dagster_home"]),
        "PSW_REPORT_DIR": str(reports),
        "PSW_REPORT_PDF": "1",  # and its PDF, where LibreOffice is installed
    }
    result = run_cli("report", "--month", month, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    workbook, analysis = report_files(reports, month)
    document = analysis.with_suffix(".docx")
    return {"result": result, "workbook": workbook, "analysis": analysis, "document": document}


@pytest.fixture(scope="module")
def june(make_run, tmp_path_factory):
    return month_report(make_run, tmp_path_factory, "2025-06")


def test_make_run_ends_with_the_latest_months_report(make_run):
    # by default beside the warehouse
    workbook, analysis = report_files(make_run["warehouse"].parent / "reports", "2025-09")
    assert workbook.exists() and analysis.exists()
    out = make_run["first"].stdout
    assert "月报（草稿，供审核）/ report 2025-09, the draft for review:" in out
    assert str(workbook) in out and str(analysis) in out
    assert str(analysis.with_suffix(".docx")) in out


def test_make_report_writes_the_month_asked_for(june):
    assert june["workbook"].exists() and june["analysis"].exists()
    assert str(june["analysis"]) in june["result"].stdout


def test_a_month_the_warehouse_does_not_have_is_one_line(make_run):
    env = {"PSW_WAREHOUSE_PATH": str(make_run["warehouse"])}
    result = run_cli("report", "--month", "2024-06", env=env)
    assert result.returncode == 1
    assert "has no indicators for 2024-06; it has 2025-01" in result.stderr
    assert "Traceback" not in result.stderr


# -- the analysis says the published figures -------------------------------------------------


def paragraphs(analysis: Path) -> list[str]:
    return [unescape(p) for p in re.findall(r"<p>(.*?)</p>", analysis.read_text("utf-8"))]


def test_june_analysis_states_the_published_figures(june, warehouse):
    text = "\n".join(paragraphs(june["analysis"]))
    figures = {(code, scope_code): value for code, _, scope_code, value in PUBLISHED}

    def yi(code, scope):
        return f"{figures[(code, scope)] / 10_000:,.2f}亿元"

    assert (
        f"{figures[('ZONE_COUNT', '省级')]}家省级集聚区完成投资{yi('ZONE_INV_YTD', '省级')}，"
        f"实现营业收入{yi('ZONE_REV_YTD', '省级')}，利润总额{yi('ZONE_PROFIT_YTD', '省级')}"
    ) in text
    assert f"入区企业{figures[('ZONE_ENT_COUNT', '省级')]:,}家。" in text
    assert (
        f"全区{figures[('PRJ_COUNT', '320412')]}个生产性服务业重点项目"
        f"年度计划投资{yi('PRJ_PLAN_YEAR', '320412')}"
    ) in text
    assert f"项目开工率{figures[('PRJ_START_RATE', '320412')]:.1f}%" in text
    assert "其中省、市重点项目4个，完成投资10.33亿元" in text  # PROV + CITY: 103,300万元
    assert f"共调查企业{figures[('SVY_RESPONDENTS', '320412')]}家" in text
    assert f"全区星级企业{figures[('ENT_STAR_COUNT', '320412')]}家，达到全年目标" in text

    key = next(p for p in paragraphs(june["analysis"]) if "重点培育行业" in p)
    top_six = re.search(r"依次为(.*)，列为", key).group(1)
    assert {re.sub(r"（.*", "", s) for s in top_six.split("、")} == {
        "科技服务",
        "物流服务",
        "工业设计",
        "检验测试",
        "商务服务",
        "金融服务",
    }

    growth = re.search(
        r"1-6月，全区(\d+)家规上生产性服务业企业实现营业收入([\d.]+)亿元，"
        r"同比增长([\d.]+)%，增速比1-5月(提高|回落|持平)",
        text,
    )
    assert growth, text
    expected = warehouse.execute(
        "select value from marts.fct_indicator_value where indicator_code = 'ENT_REV_YOY' "
        "and period = '2025-06-01' and scope_type = 'district'"
    ).fetchone()[0]
    assert float(growth.group(3)) == round(expected, 1) >= 15
    assert re.search(r"高于全年目标\d+\.\d个百分点", text)


def test_june_analysis_names_the_projects_behind_schedule(june, warehouse):
    behind = {
        name
        for (name,) in warehouse.execute(
            """
            select p.project_name from marts.fct_project_progress f
            join marts.dim_project p using (project_id)
            where f.month_date = '2025-06-01'
              and f.invested_ytd_wan_yuan / f.plan_year_wan_yuan * 100 < 50
            """
        ).fetchall()
    }
    assert behind
    sentence = next(p for p in paragraphs(june["analysis"]) if "低于序时进度：" in p)
    named = re.search(r"低于序时进度：(.*)。", sentence).group(1)
    assert {re.sub(r"（.*", "", s) for s in named.split("、")} == behind
    assert f"{len(behind)}个项目投资进度低于序时进度" in sentence


def test_the_analysis_footer_names_every_source_file_with_its_hash(june, warehouse):
    html = june["analysis"].read_text("utf-8")
    footer = html[html.index("<footer>") :]
    loaded = warehouse.execute(
        "select file_name, sha256 from raw.load_log where outcome = 'loaded' "
        "and month between '2025-01' and '2025-06'"
    ).fetchall()
    assert loaded
    for file_name, sha256 in loaded:
        assert file_name in footer and sha256 in footer


# -- the workbook, read back by another reader -----------------------------------------------


def sheet_rows(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def table(path: Path, sheet: str) -> tuple[list[str], list[dict], dict | None, list[str]]:
    """header, data rows (by header), the 合计 row, the footnotes of one standard table."""
    rows = sheet_rows(path, sheet)
    header = [str(h) for h in rows[2]]
    body, notes = [], []
    for row in rows[3:]:
        if all(v == "" for v in row):
            continue
        if str(row[0]).startswith("撰稿："):  # the sign-off, under the notes
            continue
        if any(str(v).startswith("其中：") for v in row):  # a sub-total (test_subtotals)
            continue
        if str(row[0]).startswith(("注：", "　　")):
            notes.append(str(row[0]))
        else:
            body.append(dict(zip(header, row, strict=True)))
    totals = [r for r in body if any(str(v).startswith("合计") for v in r.values())]
    assert len(totals) <= 1
    return header, [r for r in body if r not in totals], (totals[0] if totals else None), notes


def test_workbook_has_every_standard_table_laid_out(june):
    assert CalamineWorkbook.from_path(str(june["workbook"])).sheet_names == SHEETS
    for sheet in SHEETS[:-1]:
        rows = sheet_rows(june["workbook"], sheet)
        assert "2025年" in rows[0][0] and ("6月" in rows[0][0] or "上半年" in rows[0][0])
        assert rows[1][0] == "金额单位：亿元"
        _, body, total, notes = table(june["workbook"], sheet)
        assert body, sheet
        assert notes[0].startswith("注：资料来源") and any(ROUNDING in n for n in notes), notes
        assert (total is not None) == (sheet not in NO_TOTAL), sheet
        # every table is signed: the bureau's copy with the calendar's names, as a draft
        assert rows[-1][0] == (
            "撰稿：王敏　审核：李强　审签：张三　计划发布时间：2025年7月16日 10:00"
            "（草稿，未经审签，不得对外发布）"
        ), sheet


@pytest.mark.parametrize("sheet", list(ADDITIVE))
def test_each_total_row_is_the_sum_of_its_rows(june, sheet):
    """Where no part is held: a column with a held part (`…`) adds up to its total only with
    the held figures, which the release does not have (test_release reads them)."""
    _, body, total, _ = table(june["workbook"], sheet)
    summed = 0
    for column in ADDITIVE[sheet]:
        if any(r[column] == "…" for r in body):
            continue
        parts = [r[column] for r in body if r[column] != ""]
        # each part was rounded (to 0.01, or 0.1) on its own: the footnote's 四舍五入
        rounding = 0.05 if column in ("拉动增长（百分点）", "贡献率（%）") else 0.005
        assert total[column] == pytest.approx(sum(parts), abs=rounding * len(parts) + 1e-9), column
        summed += 1
    assert summed, sheet  # the counts of enterprises are never held


def indicator_values(warehouse, period: str) -> dict:
    rows = warehouse.execute(
        """
        select v.indicator_code, v.scope_type, s.scope_name_zh,
               if(v.conf_status = 'F', v.value, null), v.target_value,
               v.target_met, i.unit, i.display_decimals
        from marts.fct_indicator_value v
        join marts.dim_indicator i using (indicator_code)
        join marts.dim_scope s using (scope_type, scope_code)
        where v.period = ?
        """,
        [period],
    ).fetchall()
    return {(code, kind, name): rest for code, kind, name, *rest in rows}


def shown(value, unit, places):
    return round(value / 10_000 if unit == "万元" else value, places)


def test_headline_sheet_matches_the_indicator_table(june, warehouse):
    values = indicator_values(warehouse, "2025-06-01")
    names = dict(
        warehouse.execute(
            "select indicator_name_zh, indicator_code from marts.dim_indicator"
        ).fetchall()
    )
    _, body, _, _ = table(june["workbook"], "主要指标")
    listed = warehouse.execute(
        "select count(*) from marts.dim_indicator where headline_order is not null"
    ).fetchall()[0][0]
    assert len(body) == listed >= 22
    for row in body:
        value, target, met, unit, places = values[(names[row["指标"]], "district", "武进区")]
        cell = row["本月"] if row["本月"] != "" else row["1-本月累计"]
        assert cell == shown(value, unit, places), row
        # a target is shown with the decimals it has, one more than the value's at most
        target_places = places if target is None or round(target, places) == target else places + 1
        assert row["目标/序时进度"] == ("" if target is None else round(target, target_places))
        assert row["达标"] == {None: "", True: "是", False: "否"}[met], row
    revenue = next(r for r in body if r["指标"] == "营业收入（1-本月累计）")
    growth = values[("ENT_REV_YOY", "district", "武进区")][0]
    assert revenue["同比（%/百分点/增减）"] == round(growth, 1)
    # 上年同期 is the comparable base the growth is of; profit has its growth now too
    ytd = values[("ENT_REV_YTD", "district", "武进区")][0]
    assert revenue["上年同期"] == round(ytd / 10_000 / (1 + growth / 100), 2)
    profit = next(r for r in body if r["指标"] == "营业利润（1-本月累计）")
    profit_growth = values[("ENT_PROFIT_YOY", "district", "武进区")][0]
    assert profit["同比（%/百分点/增减）"] == round(profit_growth, 1)
    for name in ("增长面", "亏损面", "亏损企业亏损额", "生产性服务业占规上服务业比重"):
        assert any(r["指标"] == name for r in body), name


@pytest.mark.parametrize(
    ("sheet", "scope_type"),
    [("分行业门类", "industry_section"), ("分类别", "pss_category"), ("分板块", "board")],
)
def test_enterprise_sheets_match_the_indicator_table(june, warehouse, sheet, scope_type):
    values = indicator_values(warehouse, "2025-06-01")
    header, body, total, _ = table(june["workbook"], sheet)
    columns = {
        "企业数（家）": "ENT_COUNT",
        "营业收入（1-本月）": "ENT_REV_YTD",
        "同比增长（%）": "ENT_REV_YOY",
        "营业利润（1-本月）": "ENT_PROFIT_YTD",
        "拉动增长（百分点）": "ENT_REV_PULL",
        "贡献率（%）": "ENT_REV_CONTRIB",
        "增长面（%）": "ENT_GROWTH_SHARE",
        "亏损面（%）": "ENT_LOSS_SHARE",
    }
    assert {"拉动增长（百分点）", "贡献率（%）"} <= set(header)
    scopes = {name for (code, kind, name) in values if (code, kind) == ("ENT_COUNT", scope_type)}
    assert {row[header[0]] for row in body} == scopes
    for row, kind in [(r, scope_type) for r in body] + [(total, "district")]:
        name = "武进区" if kind == "district" else row[header[0]]
        for column, code in columns.items():
            if column in row:
                if (code, kind, name) not in values:  # no comparable enterprise: no 拉动
                    assert row[column] == "", (sheet, name, column)
                    continue
                value, _, _, unit, places = values[(code, kind, name)]
                # a figure disclosure control holds is the mark, never its value
                expected = "…" if value is None else shown(value, unit, places)
                assert row[column] == expected, (sheet, name, column)


def test_project_sheet_matches_the_facts(june, warehouse):
    facts = {
        name: (plan, invested, behind)
        for name, plan, invested, behind in warehouse.execute(
            """
            select p.project_name, round(f.plan_year_wan_yuan / 1e4, 2),
                   round(f.invested_ytd_wan_yuan / 1e4, 2),
                   f.invested_ytd_wan_yuan / f.plan_year_wan_yuan * 100 < 50
            from marts.fct_project_progress f join marts.dim_project p using (project_id)
            where f.month_date = '2025-06-01'
            """
        ).fetchall()
    }
    _, body, total, _ = table(june["workbook"], "重点项目")
    assert {r["项目名称"] for r in body} == set(facts)
    for row in body:
        plan, invested, behind = facts[row["项目名称"]]
        assert (row["年度计划投资"], row["1-本月完成投资"]) == (plan, invested)
        assert row["滞后序时"] == ("滞后" if behind else "")
        assert row["序时进度（%）"] == 50.0
    assert total["项目名称"] == "合计（20个）"


def test_cluster_and_survey_sheets_match_the_facts(june, warehouse):
    zones = dict(
        warehouse.execute(
            "select z.zone_name, round(f.revenue_ytd_wan_yuan / 1e4, 2) "
            "from marts.fct_zone_monthly f join marts.dim_zone z using (zone_code) "
            "where f.month_date = '2025-06-01'"
        ).fetchall()
    )
    _, body, _, _ = table(june["workbook"], "集聚区")
    assert {r["集聚区"]: r["营业收入"] for r in body} == zones
    values = indicator_values(warehouse, "2025-06-01")
    _, body, total, _ = table(june["workbook"], "需求调查")
    for row in body:
        assert row["排名"] == values[("SVY_DEMAND_RANK", "survey_service", row["服务项目"])][0]
        rate = values[("SVY_DEMAND_RATE", "survey_service", row["服务项目"])][0]
        assert row["需求较强企业占比（%）"] == round(rate, 1)
    assert [r["排名"] for r in body] == sorted(r["排名"] for r in body)
    assert total["调查企业（家）"] == 214


def test_the_clusters_sheet_has_the_provincial_clusters_under_the_total(make_run, warehouse):
    """其中：省级 under 合计, in the workbook and the analysis: in September the six provincial
    clusters' revenue is 273.00 亿元, the two cultivated ones since July left out."""
    workbook, analysis = report_files(make_run["warehouse"].parent / "reports", "2025-09")
    rows = sheet_rows(workbook, "集聚区")
    header = [str(h) for h in rows[2]]
    total, subtotal = (dict(zip(header, row, strict=True)) for row in rows[3:5])
    assert (total["集聚区"], subtotal["集聚区"], subtotal["级别"]) == ("合计", "其中：省级", "省级")
    assert subtotal["营业收入"] == 273.00
    provincial = warehouse.execute(
        "select round(sum(f.revenue_ytd_wan_yuan) / 1e4, 2), count(*) "
        "from marts.fct_zone_monthly f join marts.dim_zone z using (zone_code) "
        "where f.month_date = '2025-09-01' and z.zone_level = '省级'"
    ).fetchone()
    assert (subtotal["营业收入"], subtotal["序号"]) == (provincial[0], "")
    assert provincial[1] == 6 and total["营业收入"] > subtotal["营业收入"]
    html = analysis.read_text(encoding="utf-8")
    assert re.search(r'<tr class="total"><td class="n"></td><td>其中：省级</td><td>省级</td>', html)
    assert '<td class="n">273.00</td>' in html


def test_the_targets_sentence_says_the_district_and_the_target_to_date(make_run):
    """A target spread over the year is 序时目标; the district is 全区, not a scope's name."""
    _, analysis = report_files(make_run["warehouse"].parent / "reports", "2025-09")
    html = analysis.read_text(encoding="utf-8")
    assert "招引落地企业数全区6家，未达序时目标（7.5家）" in html
    assert "年度投资完成率未达序时目标（75.0%）的有市重点（56.9%）" in html
    assert "的有武进区" not in html


def analysis_paragraphs(html: str) -> list[str]:
    """The analysis' sentences as the page shows them (its sections before the charts)."""
    body = html[html.index("<h2>") : html.index("<h2>图表</h2>")]
    return [unescape(p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]


def test_the_analysis_is_also_a_word_document_laid_out_as_a_gongwen(june):
    """The .docx beside the page: the same sentences, every standard table as a Word table,
    every chart as a picture, the 公文 page (A4, its margins), and the sign-off at its foot."""
    from docx import Document
    from docx.oxml.ns import qn

    from orchestration.lib.report.document import BODY, TITLE, font

    document = Document(str(june["document"]))
    html = june["analysis"].read_text(encoding="utf-8")
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["武进区生产性服务业运行分析", "（2025年1-6月）"]
    for sentence in analysis_paragraphs(html):
        assert sentence in texts, sentence
    assert "一、总体运行" in texts
    sheets = CalamineWorkbook.from_path(str(june["workbook"])).sheet_names
    assert len(document.tables) == len(sheets) - 1  # every sheet but the charts'
    headline = document.tables[0]
    assert [c.text for c in headline.rows[0].cells][:3] == ["序号", "指标", "单位"]
    assert headline.rows[2].cells[1].text == "营业收入（1-本月累计）"
    assert len(document.inline_shapes) == html.count('<figure class="chart">') > 0
    assert texts[-1] == (
        "撰稿：王敏　审核：李强　审签：张三　计划发布时间：2025年7月16日 10:00"
        "（草稿，未经审签，不得对外发布）"
    )
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.top_margin.cm, 1), round(section.left_margin.cm, 1)) == (3.7, 2.8)
    title_font = document.paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))
    first = analysis_paragraphs(html)[0]
    body = next(p for p in document.paragraphs if p.text == first)
    body_font = body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert (title_font, body_font) == (font(TITLE), font(BODY))


def test_the_report_is_also_a_pdf_of_the_word_document(june):
    """Where LibreOffice is installed (`make renderers`), the report writes the .docx as PDF
    beside it and says where; its first page, drawn, is kept for a person to look at
    (tests/output/analysis_docx_page1.png)."""
    if shutil.which("soffice") is None:
        pytest.skip("no LibreOffice: `make renderers` installs it (libreoffice-writer-nogui)")
    import pypdfium2

    pdf_path = june["document"].with_suffix(".pdf")
    assert pdf_path.exists() and str(pdf_path) in june["result"].stdout
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    assert len(pdf) > 3
    first = pdf[0].get_textpage().get_text_range()
    assert "武进区生产性服务业运行分析" in first.replace("\r", "").replace("\n", "")
    assert "133.92" in first  # the first sentence's revenue
    out = REPO / "tests" / "output"
    out.mkdir(exist_ok=True)
    pdf[0].render(scale=1.5).to_pil().save(out / "analysis_docx_page1.png")


def test_chart_sheet_holds_native_charts(june):
    with zipfile.ZipFile(june["workbook"]) as book:
        names = set(book.namelist())
        workbook = book.read("xl/workbook.xml").decode()
        rels = book.read("xl/_rels/workbook.xml.rels").decode()
        sheet_rid = re.search(r'<sheet name="图表" sheetId="\d+" r:id="(rId\d+)"', workbook)[1]
        sheet_path = re.search(rf'Id="{sheet_rid}"[^>]*Target="([^"]+)"', rels)
        sheet_path = sheet_path or re.search(rf'Target="([^"]+)"[^>]*Id="{sheet_rid}"', rels)
        sheet = PurePosixPath("xl") / sheet_path[1]
        sheet_rels = book.read(f"{sheet.parent}/_rels/{sheet.name}.rels").decode()
        drawing = PurePosixPath(re.search(r'Target="\.\./drawings/([^"]+)"', sheet_rels)[1])
        drawing_rels = book.read(f"xl/drawings/_rels/{drawing}.rels").decode()
        charts = re.findall(r'Target="\.\./charts/([^"]+)"', drawing_rels)
        assert len(charts) == 3
        titles = [book.read(f"xl/charts/{c}").decode() for c in charts]
        assert all(f"xl/charts/{c}" in names for c in charts)
    assert any("营业收入累计增速" in t for t in titles)
    assert any("分行业门类" in t for t in titles)
    assert any("序时进度" in t for t in titles)


# -- the analysis in a browser, offline --------------------------------------------------------


def cjk_font_installed() -> bool:
    listed = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    return "CJK" in listed


def test_analysis_opens_offline_with_its_charts_and_chinese_text(june):
    if not Path(CHROMIUM).exists() or not shutil.which("fc-list") or not cjk_font_installed():
        pytest.skip(
            "no chromium or no CJK font: `apt-get install chromium fonts-noto-cjk` "
            "(.ci/run does) to run this test"
        )
    from playwright.sync_api import sync_playwright

    out = REPO / "tests" / "output"
    out.mkdir(exist_ok=True)
    requested = []

    def route(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.route("**/*", route)
        page.goto(june["analysis"].as_uri(), wait_until="load")
        charts = page.eval_on_selector_all(
            "figure.chart svg",
            """svgs => svgs.map(s => ({
                width: s.getBoundingClientRect().width,
                height: s.getBoundingClientRect().height,
                marks: s.querySelectorAll('path, rect, use').length,
                text: s.textContent}))""",
        )
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        fonts = {}
        for selector in ("h1", "p", "figure.chart svg text", "table td"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts[selector] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        page.screenshot(path=str(out / "analysis_2025-06.png"), full_page=True)
        browser.close()

    assert requested and all(url.startswith("file:") for url in requested), requested
    assert len(charts) == 5
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 150 and chart["marks"] > 10, chart
    # the year beside last year's same months (the comparable base), and the growth
    assert "2024年同期" in charts[0]["text"] and "2025年营业收入" in charts[0]["text"]
    assert "拉动" in charts[2]["text"]
    assert "序时进度" in charts[4]["text"]
    for selector, used in fonts.items():
        cjk = [f for f in used if "CJK" in f["familyName"] or "Han" in f["familyName"]]
        assert cjk and sum(f["glyphCount"] for f in cjk) > 0, (selector, used)


def test_the_projects_chart_shows_the_furthest_behind_when_there_are_many(warehouse):
    """With more key projects than a chart can show (a scaled district has thousands), the
    chart draws the lowest shares of the plan, and its title says how many there are."""
    import dataclasses

    from orchestration.lib.report.charts import CHART_PROJECTS, projects_against_schedule
    from orchestration.lib.report.data import load_report

    report = load_report(warehouse, "2025-06")
    table = report.tables["key_projects"]
    assert len(table.rows) == 20
    assert f"共{len(table.rows)}个" not in projects_against_schedule(report).svg  # all shown
    many = [
        {
            **row,
            "project_name": f"{row['project_name']}{i}",
            "plan_share_pct": (row["plan_share_pct"] or 0) + i / 10,
        }
        for i, row in enumerate(table.rows * 5)
    ]
    report.tables["key_projects"] = dataclasses.replace(table, rows=many)
    svg = projects_against_schedule(report).svg
    drawn = [row["project_name"] for row in many if f">{row['project_name']}<" in svg]
    lowest = sorted(many, key=lambda row: row["plan_share_pct"])[:CHART_PROJECTS]
    assert sorted(drawn) == sorted(row["project_name"] for row in lowest)
    assert f"最低的{CHART_PROJECTS}个重点项目" in svg and f"共{len(many)}个，见表" in svg


def test_the_analysis_names_the_furthest_behind_when_there_are_many(warehouse):
    """With more projects behind schedule than a sentence can name, the analysis gives their
    number and names the NAMED_BEHIND furthest behind, lowest first; the table has them all."""
    import dataclasses

    from orchestration.lib.report.data import load_report
    from orchestration.lib.report.paragraphs import NAMED_BEHIND, projects

    report = load_report(warehouse, "2025-06")
    table = report.tables["key_projects"]
    many = [
        {
            **row,
            "project_name": f"项目{i:03d}",
            "plan_share_pct": 10 + i / 10,
            "is_behind_schedule": True,
        }
        for i, row in enumerate(table.rows * 3)
    ]
    assert len(many) > NAMED_BEHIND
    report.tables["key_projects"] = dataclasses.replace(table, rows=many[::-1])
    sentence = projects(report)
    named = re.search(r"进度最低的(\d+)个：(.*)（全部项目见表）", sentence)
    assert f"{len(many)}个项目投资进度低于序时进度" in sentence
    assert int(named.group(1)) == NAMED_BEHIND
    shown = [re.sub(r"（.*", "", s) for s in named.group(2).split("、")]
    assert shown == [f"项目{i:03d}" for i in range(NAMED_BEHIND)]  # lowest share first


# Names a department may legally write, and what each would do if read as anything but text.
HOSTILE_NAMES = (
    "智造A$_$B数科",  # matplotlib mathtext: an unbalanced subscript ended the report
    "$\\x$成本",  # an unknown TeX symbol
    '=HYPERLINK("http://example.invalid","点击")',  # a formula in xlsx and CSV
    "+1-2@SUM(A1)",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "[链接](javascript:alert(1)) *粗* | 竖线",
)


def test_what_psw_writes_never_fails_on_a_name_and_never_runs_one(warehouse, tmp_path):
    """Hostile but legal names in every place a department's text reaches the report: the
    workbook holds them as text cells (no formula), the analysis and its charts show them
    escaped (no markup, no mathematics), and the CSV of a value's contributions starts no
    cell with a formula character."""
    import csv
    import dataclasses

    import openpyxl

    from orchestration.lib.provenance import explain as provenance
    from orchestration.lib.report.data import load_report
    from orchestration.lib.report.page import render
    from orchestration.lib.report.workbook import write_workbook

    report = load_report(warehouse, "2025-06")
    projects = report.tables["key_projects"]
    renamed = [
        {**row, "project_name": HOSTILE_NAMES[i % len(HOSTILE_NAMES)] + str(i)}
        for i, row in enumerate(projects.rows)
    ]
    report.tables["key_projects"] = dataclasses.replace(projects, rows=renamed)
    clusters = report.tables["clusters"]
    report.tables["clusters"] = dataclasses.replace(
        clusters,
        rows=[{**row, "zone_name": HOSTILE_NAMES[i]} for i, row in enumerate(clusters.rows)],
    )
    report.quality_notes = [*report.quality_notes, f"提示：{HOSTILE_NAMES[4]}"]

    write_workbook(report, tmp_path / "book.xlsx")
    page = render(report)

    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    cells = {
        cell.value: cell.data_type
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for row in renamed:
        assert cells.get(row["project_name"]) == "s", row["project_name"]
    assert not any(kind == "f" for kind in cells.values())
    assert "<script>" not in page and "onerror=alert" not in page.replace("onerror=alert(2)&", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    behind = [row for row in renamed if row["is_behind_schedule"]]
    assert behind, "the chart of projects behind schedule draws some"
    for row in behind:  # drawn as the text it is (SVG text, XML-escaped), not typeset
        from html import escape

        assert f">{escape(row['project_name'], quote=False)}<" in page, row["project_name"]

    explained = provenance.explain(warehouse, "PRJ_INV_YTD", "2025-06", ("district", None))
    explained.rows = [
        {**row, "source_file": HOSTILE_NAMES[i % 4 + 2], "header": "-" + str(row["header"])}
        for i, row in enumerate(explained.rows)
    ]
    path = provenance.write_csv(explained, tmp_path / "all.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == len(explained.rows)
    for line in lines:
        for column in ("source_file", "header"):
            assert not line[column].startswith(("=", "+", "-", "@")), line[column]
        assert line["source_file"].lstrip("'") in HOSTILE_NAMES
    assert any(float(line["contribution"]) >= 0 for line in lines)  # numbers as they are


def headline_cells(path: Path) -> list[dict]:
    """The headline sheet's data rows as openpyxl reads them: each cell's value and the
    number of decimals its number format shows."""
    import openpyxl

    sheet = openpyxl.load_workbook(path)["主要指标"]
    header = [c.value for c in sheet[3]]
    rows = []
    for line in sheet.iter_rows(min_row=4):
        if not isinstance(line[0].value, int | float) or isinstance(line[0].value, bool):
            continue
        rows.append(
            {
                h: (
                    None if c.value == "" else c.value,  # an empty cell is written as ""
                    len(c.number_format.partition(".")[2]) if c.number_format else 0,
                )
                for h, c in zip(header, line, strict=True)
            }
        )
    return rows


@pytest.fixture(scope="module")
def february(make_run, tmp_path_factory):
    report = month_report(make_run, tmp_path_factory, "2025-02")
    return report["workbook"], report["analysis"]


def test_every_shown_gap_is_the_shown_value_less_the_shown_target(make_run, june, february):
    """In June's, September's and February's workbooks: each target is shown with the
    decimals it holds, its gap with as many, and the gap is the value shown less the target
    shown (September's 招引落地 target is 7.5, a yearly 10 at 9/12, and its gap −1.5)."""
    september, _ = report_files(make_run["warehouse"].parent / "reports", "2025-09")
    seen = {}
    for path in (june["workbook"], september, february[0]):
        for row in headline_cells(path):
            target, target_places = row["目标/序时进度"]
            gap, gap_places = row["与目标差距"]
            if target is None:
                assert gap is None, row
                continue
            value, _ = row["本月"] if row["本月"][0] is not None else row["1-本月累计"]
            assert round(target, target_places) == target, row  # no hidden decimals
            assert gap_places == target_places, row
            assert round(value - target, target_places) == pytest.approx(gap, abs=1e-9), row
            assert row["达标"][0] == ("是" if gap >= 0 else "否"), row
            seen[path.name, row["指标"][0]] = (value, target, target_places, gap)
    landed = seen[september.name, "招引落地企业数"]
    assert landed[1:] == (7.5, 1, -1.5)
    # the analysis lays out the same table: its shown texts agree as well
    _, analysis = report_files(make_run["warehouse"].parent / "reports", "2025-09")
    headline = analysis.read_text("utf-8").split("<table><caption>")[1].split("</table>")[0]
    header = [unescape(h) for h in re.findall(r"<th>(.*?)</th>", headline)]
    checked = 0
    for line in re.findall(r'<tr class="">(.*?)</tr>', headline):
        texts = [unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", line)]
        cells = dict(zip(header, texts, strict=True))
        if not cells.get("目标/序时进度"):
            continue
        target_text, gap_text = cells["目标/序时进度"], cells["与目标差距"]
        places = len(target_text.partition(".")[2])
        assert len(gap_text.partition(".")[2]) == places, cells
        value = float((cells["本月"] or cells["1-本月累计"]).replace(",", ""))
        assert round(value - float(target_text), places) == pytest.approx(float(gap_text)), cells
        checked += 1
    assert checked >= 5


def test_february_month_figure_says_it_is_1_to_2(february):
    """February's 当月营业收入 is the 1-2月 figure (there is no January file): the headline
    row says so, in the workbook and the analysis."""
    workbook, analysis = february
    names = {row["指标"][0]: row for row in headline_cells(workbook)}
    assert "当月营业收入（1-2月）" in names and "当月营业收入" not in names
    assert names["当月营业收入（1-2月）"]["本月"][0] > 0
    assert "当月营业收入（1-2月）" in analysis.read_text(encoding="utf-8")


def test_a_month_due_and_never_delivered_is_named_in_its_notes(make_run, tmp_path):
    """April's enterprises file never came (the warehouse has no load of it): April's
    data-quality notes say it is missing; a source that delivers no file for a month (the
    survey in April) is not named."""
    import duckdb

    from orchestration.lib.report.data import quality_notes

    warehouse = tmp_path / "psw.duckdb"
    shutil.copy(make_run["warehouse"], warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # the report reads the files from the release's copy of the load log
        conn.execute(
            "delete from release.source_file where source = 'enterprises' and month = '2025-04'"
        )
        notes = quality_notes(conn, "2025-04")
    assert "缺报：2025年4月规上生产性服务业企业月报尚未入库。" in notes
    assert not any("需求调查" in note and note.startswith("缺报") for note in notes), notes


# -- the bureau's lead: what pulled the growth, 增长面 and 亏损面, the district in the city ----


def released(warehouse, period: str) -> dict[tuple[str, str, str], float]:
    """The month's released figures (held ones are never said)."""
    rows = warehouse.execute(
        "select indicator_code, scope_type, scope_code, value from marts.fct_indicator_value "
        "where period = ? and conf_status = 'F'",
        [period],
    ).fetchall()
    return {tuple(r[:3]): r[3] for r in rows}


def lead_sentences(warehouse, month: str) -> list[str]:
    """What the first section must say, worked out from the warehouse's figures."""
    values = released(warehouse, f"{month}-01")
    names = dict(
        warehouse.execute(
            "select scope_code, scope_name_zh from marts.dim_scope "
            "where scope_type = 'industry_section'"
        ).fetchall()
    )
    pulls = sorted(
        ((v, code) for (c, t, code), v in values.items()
         if (c, t) == ("ENT_REV_PULL", "industry_section") and v > 0),
        reverse=True,
    )[:2]  # fmt: skip
    district = ("district", "320412")
    said = [
        "从行业门类看，"
        + "，".join(names[code] for _, code in pulls)
        + "分别拉动全区营业收入增长"
        + "、".join(f"{v:.1f}" for v, _ in pulls)
        + "个百分点，贡献率分别为"
        + "、".join(
            f"{values[('ENT_REV_CONTRIB', 'industry_section', code)]:.1f}%" for _, code in pulls
        ),
        f"全区规上生产性服务业企业增长面{values[('ENT_GROWTH_SHARE', *district)]:.1f}%，"
        f"亏损面{values[('ENT_LOSS_SHARE', *district)]:.1f}%，"
        f"亏损企业亏损额{values[('ENT_LOSS_AMOUNT', *district)] / 10_000:,.2f}亿元",
        f"全区规上服务业营业收入同比增长{values[('CITY_SVC_REV_YOY', *district)]:.1f}%，"
        f"增速位列全市第{'一二三四五六七'[int(values[('CITY_SVC_REV_YOY_RANK', *district)]) - 1]}"
        "位，"
        f"高于全市{values[('CITY_SVC_REV_YOY_GAP', *district)]:.1f}个百分点",
        f"规上生产性服务业营业收入占规上服务业的比重为"
        f"{values[('PSS_SHARE_OF_SVC', *district)]:.1f}%，"
        f"增速高于规上服务业{values[('PSS_VS_SVC_YOY_GAP', *district)]:.1f}个百分点",
        f"实现营业利润{values[('ENT_PROFIT_YTD', *district)] / 10_000:,.2f}亿元，"
        f"同比增长{values[('ENT_PROFIT_YOY', *district)]:.1f}%",
    ]
    return said


@pytest.mark.parametrize("month", ["2025-06", "2025-09"])
def test_the_analysis_leads_with_the_pull_the_faces_and_the_city(make_run, june, warehouse, month):
    """The June report (`make report`) and September's (`make run`'s), as a page and as a
    Word document: every sentence of the lead states the figures the warehouse holds."""
    from docx import Document

    if month == "2025-06":
        workbook, analysis, document = june["workbook"], june["analysis"], june["document"]
    else:
        workbook, analysis = report_files(make_run["warehouse"].parent / "reports", month)
        document = analysis.with_suffix(".docx")
    # the tables: 拉动 and 贡献率 by section, category and board; the district in the city
    assert CalamineWorkbook.from_path(str(workbook)).sheet_names == SHEETS
    for sheet in ("分行业门类", "分类别", "分板块"):
        header, _, total, _ = table(workbook, sheet)
        assert {"拉动增长（百分点）", "贡献率（%）"} <= set(header), sheet
        assert total["贡献率（%）"] == 100.0, sheet
    _, city, _, _ = table(workbook, "全市比较")
    assert city[0]["行业"] == "规模以上服务业" and city[0]["全市排位"] == 1
    page = "\n".join(paragraphs(analysis))
    word = "\n".join(p.text for p in Document(str(document)).paragraphs)
    for sentence in lead_sentences(warehouse, month):
        assert sentence in page, (sentence, page[:1500])
        assert sentence in word, sentence
    first = [
        name
        for (name,) in warehouse.execute(
            "select s.scope_name_zh from marts.fct_indicator_value v "
            "join marts.dim_scope s using (scope_type, scope_code) "
            "where v.indicator_code = 'CITY_SVC_REV_YOY_RANK' and v.period = ? "
            "and v.scope_type = 'industry_section' and v.value = 1 order by s.scope_order",
            [f"{month}-01"],
        ).fetchall()
    ]
    assert first == ["租赁和商务服务业"]  # as the source document says of 1-8月
    assert "；其中租赁和商务服务业增速位列全市第一位。" in page


def test_the_city_sheet_is_the_city_bureaus_figures_for_the_district(june, warehouse):
    header, body, _, notes = table(june["workbook"], "全市比较")
    rows = warehouse.execute(
        """
        select f.industry_scope, round(f.revenue_ytd_wan_yuan / 1e4, 2), f.revenue_yoy_pct,
               c.revenue_yoy_pct
        from marts.fct_city_area_monthly f
        join marts.fct_city_area_monthly c
            on c.month_date = f.month_date and c.industry_scope = f.industry_scope
            and c.is_city_total
        where f.month_date = '2025-06-01' and f.is_district
        order by f.industry_scope = 'ALL' desc, f.industry_scope
        """
    ).fetchall()
    values = released(warehouse, "2025-06-01")
    assert [r["行业"] for r in body][0] == "规模以上服务业" and len(body) == len(rows) == 6
    for row, (scope, revenue, growth, city) in zip(body, rows, strict=True):
        key = ("district", "320412") if scope == "ALL" else ("industry_section", scope)
        assert (row["本区营业收入"], row["本区增速（%）"], row["全市增速（%）"]) == (
            revenue,
            growth,
            city,
        )
        assert row["全市排位"] == values[("CITY_SVC_REV_YOY_RANK", *key)]
        assert row["高于全市（百分点）"] == round(values[("CITY_SVC_REV_YOY_GAP", *key)], 1)
    assert notes[0].startswith("注：资料来源：常州市统计局")
