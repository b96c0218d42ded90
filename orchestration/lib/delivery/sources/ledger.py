"""The task force's work ledger (生产性服务业工作台账): one file a month, three sheets of
events: recruitment (招引活动), media reports (宣传报道) and trainings (培训活动).

Each row is one event of the month; a sheet with a header and no rows is a month with none.
"""

from __future__ import annotations

import pandas as pd

from orchestration.lib.delivery import reference
from orchestration.lib.delivery.expectations import between, expect, in_set
from orchestration.lib.delivery.rules import ERROR, Rule
from orchestration.lib.delivery.sources.base import SEQ, Column, Identity, Source
from orchestration.lib.text import comparables

RULES = (
    Rule("L1", ERROR, "日期不在报告月内 / the date is outside the reporting month"),
    Rule("L2", ERROR, "活动类型不在代码表中 / unknown activity type"),
    Rule(
        "L3",
        ERROR,
        "外出拜访的企业应在区外（所在地不含武进） / a visit outside the district names 武进",
    ),
    Rule("L4", ERROR, "参与板块或服务领域不在代码表中 / unknown board or service category"),
    Rule("L5", ERROR, "媒体级别不在代码表中 / unknown media level"),
    Rule("L6", ERROR, "培训对象应为管理人员或企业 / the audience is not 管理人员 or 企业"),
    Rule("L7", ERROR, "参训人数不能为负 / the number of trainees is negative"),
)

DISTRICT_NAME = "武进"
TRAINING_AUDIENCES = ("管理人员", "企业")


def _date_column() -> Column:
    return Column("event_date", "日期", "date", description="date of the event (inside the month)")


def _in_month(frame: pd.DataFrame) -> pd.DataFrame:
    """The month each event's date falls in, to compare with the reporting month (L1)."""
    dates = pd.to_datetime(frame["event_date"], errors="coerce")
    frame["event_month"] = dates.dt.strftime("%Y-%m").where(dates.notna(), None)
    return frame


def _date_in_month() -> object:
    return expect(
        "ExpectColumnPairValuesToBeEqual",
        "L1",
        "event_date",
        column_A="event_month",
        column_B="month",
        ignore_row_if="either_value_is_missing",
    )


# ---------------------------------------------------------------- 招引活动


def _recruitment_expectations() -> list:
    types = reference.names_and_codes("ledger_activity_types", "activity_code", "activity_name")
    return [
        _date_in_month(),
        in_set("L2", "activity_type", types),
        expect("ExpectColumnValuesToBeNull", "L3", "enterprise_location", column="wujin_visit"),
        expect("ExpectColumnValuesToBeNull", "L4", "boards", column="unknown_boards"),
        in_set(
            "L4",
            "pss_category",
            reference.names_and_codes("pss2019_categories", "pss_code", "pss_name"),
        ),
    ]


def _recruitment_derive(frame: pd.DataFrame) -> pd.DataFrame:
    types = reference.rows_by("ledger_activity_types", "activity_code", "activity_name")
    boards = reference.names_and_codes("boards", "board_code", "board_name")
    codes = frame["activity_type"].map(lambda t: types[t]["activity_code"] if t in types else None)
    outside = codes.eq("VISIT_OUT") & frame["enterprise_location"].fillna("").str.contains(
        DISTRICT_NAME
    )
    frame["wujin_visit"] = frame["enterprise_location"].where(outside, None)
    frame["unknown_boards"] = frame["boards"].map(
        lambda text: "、".join(b for b in _listed(text) if b not in boards) or None
    )
    # an enterprise lands once a year; a visit or a hosting is the enterprise on its day
    # (by its code: 签约落地 and LANDED are one type)
    frame["activity_code"] = codes
    frame["event_identity"] = _identity(
        frame, "activity_code", "enterprise_name", dated=~codes.eq("LANDED")
    )
    return _in_month(frame)


def _identity(frame: pd.DataFrame, *columns: str, dated: pd.Series | bool = True) -> pd.Series:
    """An event's identity across the year: its columns as text.comparable writes them (so a
    re-typed name is the same name), with its date where `dated`; None where one is empty."""
    if isinstance(dated, bool):
        dated = pd.Series(dated, index=frame.index)
    parts = [comparables(frame[column]) for column in columns]
    dates = pd.to_datetime(frame["event_date"], errors="coerce").dt.strftime("%Y-%m-%d")
    parts.append(dates.where(dated, "").where(dates.notna(), None))
    joined = parts[0].astype(object)
    for part in parts[1:]:
        joined = joined + "｜" + part
    return joined.where(pd.concat(parts, axis=1).notna().all(axis=1), None).astype(object)


def _listed(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    return [part.strip() for part in text.replace("，", "、").split("、") if part.strip()]


RECRUITMENT = Source(
    name="ledger_recruitment",
    title_zh="招引活动",
    title_en="Recruitment: visits, enterprises hosted and enterprises landed",
    sheet="招引活动",
    events=True,
    identity=Identity(
        "event_identity",
        "enterprise_name",
        "签约落地：企业（一年一次）；外出拜访、邀请来访：企业＋日期 / a landing: the "
        "enterprise (once a year); a visit or a hosting: the enterprise and the date",
    ),
    columns=(
        SEQ,
        _date_column(),
        Column(
            "activity_type",
            "活动类型",
            "text",
            description=(
                "the event: 外出拜访 (visit out), 邀请来访 (enterprise hosted) "
                "or 签约落地 (enterprise landed)"
            ),
        ),
        Column("enterprise_name", "企业名称", "text", description="enterprise visited or landed"),
        Column(
            "enterprise_location",
            "企业所在地",
            "text",
            blank="null",
            description="where the enterprise is (outside 武进 for a visit out)",
        ),
        Column("lead_department", "牵头部门", "text", description="department that led it"),
        Column(
            "boards",
            "参与板块",
            "text",
            required=False,
            description="boards taking part (names or codes, separated by 、)",
        ),
        Column(
            "pss_category",
            "服务领域",
            "text",
            required=False,
            description="producer-service category (PSS 2019 code or name)",
        ),
        Column("note", "备注", "text", required=False, description="note"),
    ),
    expectations=_recruitment_expectations,
    derive=_recruitment_derive,
)


# ---------------------------------------------------------------- 宣传报道


def _media_expectations() -> list:
    levels = reference.names_and_codes("media_levels", "media_level_code", "media_level_name")
    return [_date_in_month(), in_set("L5", "media_level", levels)]


def _media_derive(frame: pd.DataFrame) -> pd.DataFrame:
    # the same outlet and title twice is the same report: in the file (G5) or in another
    # month of the year (G10), whatever its date
    frame["report_key"] = _identity(frame, "media_name", "title", dated=False)
    return _in_month(frame)


MEDIA = Source(
    name="ledger_media",
    title_zh="宣传报道",
    title_en="Media reports on producer services",
    sheet="宣传报道",
    events=True,
    key="report_key",  # 媒体名称 + 标题
    key_written_as="title",
    identity=Identity(
        "report_key",
        "title",
        "媒体名称＋标题（不论日期） / the outlet and the headline, whatever the date",
    ),
    columns=(
        SEQ,
        _date_column(),
        Column("media_name", "媒体名称", "text", description="outlet, e.g. 新华日报"),
        Column(
            "media_level",
            "媒体级别",
            "text",
            description="the outlet's level: 中央 (national), 省级, 市级 or 区级",
        ),
        Column("title", "标题", "text", description="headline"),
        Column(
            "subject",
            "报道对象",
            "text",
            required=False,
            description="enterprise, cluster or project reported on",
        ),
    ),
    expectations=_media_expectations,
    derive=_media_derive,
)


# ---------------------------------------------------------------- 培训活动


def _training_expectations() -> list:
    return [
        _date_in_month(),
        in_set("L6", "audience", TRAINING_AUDIENCES),
        between("L7", "trainees", 0),
    ]


def _training_derive(frame: pd.DataFrame) -> pd.DataFrame:
    # one organiser's course on one day is one training
    frame["event_identity"] = _identity(frame, "organiser", "course_name")
    return _in_month(frame)


TRAINING = Source(
    name="ledger_training",
    title_zh="培训活动",
    title_en="Trainings held",
    sheet="培训活动",
    events=True,
    columns=(
        SEQ,
        _date_column(),
        Column("organiser", "主办单位", "text", description="organiser"),
        Column("course_name", "培训名称", "text", description="course"),
        Column(
            "audience",
            "培训对象",
            "text",
            description="who was trained: 管理人员 (officials) or 企业 (enterprises)",
        ),
        Column(
            "trainees", "参训人数", "int", "人", blank="error", description="number of trainees"
        ),
        Column("venue", "地点", "text", required=False, description="venue"),
    ),
    identity=Identity(
        "event_identity",
        "course_name",
        "主办单位＋培训名称＋日期 / the organiser, the course and the date",
    ),
    expectations=_training_expectations,
    derive=_training_derive,
)


LEDGER = Source(
    name="ledger",
    title_zh="生产性服务业工作台账",
    title_en="The task force's work ledger: recruitment, media reports, trainings",
    file_stem="生产性服务业工作台账",
    owner="team:zb-office",
    rules=RULES,
    parts=(RECRUITMENT, MEDIA, TRAINING),
)
