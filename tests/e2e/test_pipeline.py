"""`make run` end to end on the sample spreadsheets: the published figures come out, and a
second run changes nothing."""

import pytest
from conftest import RAW

PUBLISHED = [  # indicators.md, "Published figures the sample data must reproduce"
    ("ZONE_INV_YTD", "zone_level", "省级", 174_000),
    ("ZONE_REV_YTD", "zone_level", "省级", 1_796_000),
    ("ZONE_PROFIT_YTD", "zone_level", "省级", 218_000),
    ("ZONE_ENT_COUNT", "zone_level", "省级", 6_625),
    ("ZONE_COUNT", "zone_level", "省级", 6),
    ("PRJ_COUNT", "district", "320412", 20),
    ("PRJ_PLAN_YEAR", "district", "320412", 1_030_000),
    ("PRJ_START_RATE", "district", "320412", 100),
    ("SVY_RESPONDENTS", "district", "320412", 214),
    ("ENT_STAR_COUNT", "district", "320412", 15),
    ("LDG_LANDED_YTD", "district", "320412", 4),
    ("LDG_MEDIA_YTD", "media_level", "省级及以上", 2),
    ("LDG_TRAINING_YTD", "district", "320412", 4),
]


def value(warehouse, code, period, scope_type, scope_code):
    rows = warehouse.execute(
        "select value from marts.fct_indicator_value where indicator_code = ? and period = ? "
        "and scope_type = ? and scope_code = ?",
        [code, period, scope_type, scope_code],
    ).fetchall()
    assert len(rows) == 1, (code, period, scope_type, scope_code, rows)
    return rows[0][0]


@pytest.mark.parametrize(("code", "scope_type", "scope_code", "expected"), PUBLISHED)
def test_published_figure(warehouse, code, scope_type, scope_code, expected):
    assert value(warehouse, code, "2025-06-01", scope_type, scope_code) == pytest.approx(expected)


def test_leasing_and_business_services_grow_fastest_in_the_city_jan_aug(warehouse):
    """The published figure: 商务租赁服务业增速位列常州市第一位 (1-8月)."""
    assert value(warehouse, "CITY_SVC_REV_YOY_RANK", "2025-08-01", "industry_section", "L") == 1


def test_provincial_and_city_projects_invested_10_33_yi(warehouse):
    rows = warehouse.execute(
        "select p.project_name, f.invested_ytd_wan_yuan from marts.fct_project_progress f "
        "join marts.dim_project p using (project_id) "
        "where f.month_date = '2025-06-01' and f.project_level_code in ('PROV', 'CITY')"
    ).fetchall()
    names = {name for name, _ in rows}
    for short in ("海晨新能源", "理想研发基地", "金新西太湖创智港", "医药产业创新中心二期"):
        assert any(short in name for name in names), short
    assert len(rows) == 4
    total = sum(
        value(warehouse, "PRJ_INV_YTD", "2025-06-01", "project_level", level)
        for level in ("PROV", "CITY")
    )
    assert total == pytest.approx(103_300)


def test_six_key_service_industries_rank_first(warehouse):
    top = warehouse.execute(
        "select scope_code from marts.fct_indicator_value where indicator_code = 'SVY_DEMAND_RANK' "
        "and period = '2025-06-01' and value <= 6"
    ).fetchall()
    assert {code for (code,) in top} == {"S01", "S02", "S03", "S04", "S05", "S06"}


def test_revenue_growth_above_15_percent_in_june(warehouse):
    growth = value(warehouse, "ENT_REV_YOY", "2025-06-01", "district", "320412")
    assert growth >= 15
    met = warehouse.execute(
        "select target_value, target_met from marts.fct_indicator_value where indicator_code = "
        "'ENT_REV_YOY' and period = '2025-06-01' and scope_type = 'district'"
    ).fetchall()
    assert met == [(15.0, True)]


def test_leasing_research_and_transport_grow_fastest_jan_aug(warehouse):
    ranked = warehouse.execute(
        "select scope_code from marts.fct_indicator_value where indicator_code = 'ENT_REV_YOY' "
        "and period = '2025-08-01' and scope_type = 'industry_section' order by value desc"
    ).fetchall()
    assert {code for (code,) in ranked[:3]} == {"L", "M", "G"}


def test_the_enterprises_landed_reports_and_trainings_are_the_documents(warehouse):
    landed = warehouse.execute(
        "select enterprise_name from marts.fct_recruitment_activity "
        "where activity_code = 'LANDED' and month_date <= '2025-06-01'"
    ).fetchall()
    assert {name for (name,) in landed} == {
        "艾普拉斯检测",
        "瑞工检测",
        "通用决策智能研究院",
        "太湖人工智能研究院",
    }
    above = warehouse.execute(
        "select media_name, media_level_code, subject from marts.fct_media_report "
        "where target_group = '省级及以上' and month_date <= '2025-06-01' order by media_name"
    ).fetchall()
    assert [(name, level) for name, level, _ in above] == [
        ("央广网", "CENTRAL"),
        ("新华日报", "PROV"),
    ]
    assert "湖塘科技产业园" in above[0][2] and "绿建区" in above[1][2]
    trainings = warehouse.execute(
        "select organiser, audience, venue, course_name from marts.fct_training_session "
        "where month_date <= '2025-06-01'"
    ).fetchall()
    management = [t for t in trainings if t[1] == "管理人员"]
    assert [(o, v) for o, _, v, _ in management] == [("区发改局", "中国科技大学")]
    courses = [t for t in trainings if t[1] == "企业"]
    assert len(courses) == 3 and {o for o, *_ in courses} == {"区现代服务业商会"}
    assert all("人工智能" in c or "AI" in c for *_, c in courses)


def test_visits_out_meet_the_month_target_in_every_month_but_one(warehouse):
    rows = warehouse.execute(
        "select period, value, target_value, target_met from marts.fct_indicator_value "
        "where indicator_code = 'LDG_VISIT_OUT_MONTH' and scope_type = 'district' "
        "order by period"
    ).fetchall()
    assert len(rows) == 9 and all(target == 3 for _, _, target, _ in rows)
    assert [met for *_, met in rows].count(False) == 1
    places = warehouse.execute(
        "select enterprise_location from marts.fct_recruitment_activity "
        "where activity_code = 'VISIT_OUT' and month_date <= '2025-06-01'"
    ).fetchall()
    for city in ("南京", "苏州", "郑州"):
        assert any(city in place for (place,) in places), city


def test_year_targets_are_compared_with_their_time_share(warehouse):
    """序时进度: in June, half of the year's ≥ 10 enterprises landed and of each media target."""
    landed = warehouse.execute(
        "select value, target_value, target_met from marts.fct_indicator_value "
        "where indicator_code = 'LDG_LANDED_YTD' and scope_type = 'district' "
        "and period = '2025-06-01'"
    ).fetchall()
    assert landed == [(4, pytest.approx(5), False)]
    media = dict(
        warehouse.execute(
            "select scope_code, target_value from marts.fct_indicator_value "
            "where indicator_code = 'LDG_MEDIA_YTD' and scope_type = 'media_level' "
            "and period = '2025-06-01'"
        ).fetchall()
    )
    assert media == {"省级及以上": 0.5, "市级": 1.5, "区级": 5}


def test_a_ledger_month_with_empty_sheets_counts_zero_against_its_targets(warehouse):
    """January's ledger has empty 宣传报道 and 培训活动 sheets: zero, and the targets missed."""
    january = warehouse.execute(
        "select scope_code, value, target_met from marts.fct_indicator_value "
        "where indicator_code = 'LDG_MEDIA_YTD' and scope_type = 'media_level' "
        "and period = '2025-01-01' order by scope_code"
    ).fetchall()
    assert january == [("区级", 0, False), ("市级", 0, False), ("省级及以上", 0, False)]
    assert value(warehouse, "LDG_TRAINING_YTD", "2025-01-01", "district", "320412") == 0


def test_january_has_no_enterprise_rows_and_february_is_jan_feb(warehouse):
    january = warehouse.execute(
        "select count(*) from marts.fct_indicator_value where period = '2025-01-01' "
        "and indicator_code like 'ENT_%'"
    ).fetchall()[0][0]
    assert january == 0
    month = value(warehouse, "ENT_REV_MONTH", "2025-02-01", "district", "320412")
    ytd = value(warehouse, "ENT_REV_YTD", "2025-02-01", "district", "320412")
    assert month == pytest.approx(ytd)


def test_every_required_scope_of_every_indicator_is_there(warehouse):
    catalogue = warehouse.execute(
        "select indicator_code, required_scopes from marts.dim_indicator"
    ).fetchall()
    present = set(
        warehouse.execute(
            "select distinct indicator_code, scope_type from marts.fct_indicator_value"
        ).fetchall()
    )
    for code, scopes in catalogue:
        for scope in scopes.split(";"):
            assert (code, scope) in present, (code, scope)


def test_no_personal_data_in_marts(warehouse):
    columns = {
        c
        for (c,) in warehouse.execute(
            "select column_name from information_schema.columns "
            "where table_schema in ('marts', 'staging')"
        ).fetchall()
    }
    assert not columns & {"contact_person", "contact_phone", "responsible_unit"}


def test_run_prints_each_month_and_the_headline_table(make_run):
    out = make_run["first"].stdout
    for month in range(1, 10):
        assert f"2025-{month:02d}  " in out
    assert "Traceback" not in out + make_run["first"].stderr
    summary = (
        out[out.index("武进区生产性服务业主要指标（2025年9月）") :].split("\n\n")[0].splitlines()
    )
    headline = {line.split()[0]: line.split()[1:] for line in summary[2:] if line[:1] != " "}
    assert headline["规上生产性服务业企业数"] == ["2025年9月", "457", "家"]  # a count, no .0
    assert headline["营业收入（1-本月累计）"][:3] == ["2025年1-9月", "211.05", "亿元"]
    assert headline["营业收入同比增速"] == ["2025年1-9月", "20.3", "%", "15.0", "是"]
    assert headline["调查企业数"] == ["2025年上半年", "214", "家"]
    missed = summary[summary.index("未达目标 / targets missed:") + 1 :]
    assert missed and all(line.startswith("  年度投资完成率（") for line in missed)


def test_second_run_changes_nothing(make_run, warehouse):
    from conftest import data_fingerprints

    assert data_fingerprints(make_run["after_second"]) == data_fingerprints(make_run["after_first"])
    attempts = dict(
        warehouse.execute("select outcome, count(*) from raw.load_log group by outcome").fetchall()
    )
    # 9 months of 5 sources, less January's enterprises and the survey's 8; 8 city tables
    files = len(list(RAW.glob("*/*.xlsx")))
    assert files == 9 * 5 - 1 - 8 + 8
    assert attempts == {"loaded": files, "unchanged": files}
    assert "(loaded)" not in make_run["second"].stdout
    assert "(unchanged)" in make_run["second"].stdout
    assert make_run["after_first"]["marts.fct_indicator_value"][0] > 2000


def test_the_second_build_of_a_warehouse_starts_from_the_first_ones_parse(make_run):
    """dbt parses the whole project when its profile (the warehouse's path) or its vars
    change: the month window is in the environment, and each warehouse keeps its last parse."""
    from orchestration.lib.dbt.parse import parse_state_path
    from orchestration.lib.publishing.working_copy import work_path

    assert parse_state_path(str(work_path(make_run["warehouse"]))).exists()
    log = (make_run["warehouse"].parent / "logs" / "dbt_build.log").read_text()  # the second's
    assert "Running with dbt=" in log and "PASS=" in log
    assert "Unable to do partial parsing" not in log


def test_runs_are_recorded_for_the_ui(make_run, monkeypatch):
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(make_run["dagster_home"]))  # dagster.yaml reads it
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
    jobs = [run.job_name for run in runs]
    assert set(jobs) == {"ingest_month", "transform", "monthly_report", "release"}
    # each `make run`: a run per month, one dbt build, one report (`make report` adds its
    # own); the first released the nine months, the second had nothing due and ran no release
    assert jobs.count("ingest_month") == 2 * 9 and jobs.count("transform") == 2
    assert jobs.count("monthly_report") >= 2 and jobs.count("release") == 1
    assert all(run.is_success for run in runs)


def test_readme_queries_work(warehouse):
    from conftest import readme_queries

    queries = readme_queries(vintages=False)
    assert len(queries) == 4
    for query in queries:
        rows = warehouse.execute(query).fetchall()
        assert rows, query


def test_the_labelled_table_reads_like_the_report(warehouse):
    rows = warehouse.execute(
        "select period_label_zh, scope_name_zh, display_value, display_unit, scope_rank "
        "from marts.fct_indicator_value_labelled where indicator_code = 'ZONE_REV_YTD' "
        "and period = '2025-06-01' and scope_type in ('zone_level', 'zone') "
        "order by scope_type desc, scope_rank"
    ).fetchall()
    assert rows[0] == ("2025年1-6月", "省级集聚区", 179.6, "亿元", None)  # the published 179.6亿元
    ranked = [row[4] for row in rows[1:]]
    assert ranked == sorted(ranked) and ranked[0] == 1 and len(ranked) == 6
    named = warehouse.execute(
        "select count(*), count(scope_name_zh), count(scope_name_en) "
        "from marts.fct_indicator_value_labelled"
    ).fetchall()[0]
    assert named[0] == named[1] == named[2] > 2000
