"""The rules a department's file is checked against, each with its Chinese and English text:
the general rules here, each source's own beside its declaration (sources/); catalogue.py
lists them all."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # error rejects the file; warning lets it load
    text: str  # 中文 / English
    # what a failure adds to the text: "examples" (the first values), "rows" (the row count),
    # "missing" (the values that should be there and are not)
    shows: str = "examples"


GENERAL = (
    Rule(
        "G1",
        ERROR,
        "文件无法读取、不是唯一的报表或无数据行 / the file cannot be read, is not "
        "the one file and sheet of its month, or has no data rows",
        shows="rows",
    ),
    Rule(
        "G2",
        ERROR,
        "表头缺失、重复或单位不符 / a header is missing, ambiguous or in the wrong unit",
    ),
    Rule(
        "G3",
        ERROR,
        "文件名与标题的期间不一致 / the file name and the title name different periods",
    ),
    Rule(
        "TYPE",
        ERROR,
        "数字或年月格式不对 / a cell that must hold a number or a month holds something else",
    ),
    Rule(
        "CELL",
        ERROR,
        "单元格为错误值、未计算的公式或合并的数字 / an Excel error value, a "
        "formula never calculated, or a figure merged over several rows",
    ),
    Rule(
        "DBT",
        ERROR,
        "数仓测试在本文件的行上未通过 / a test of the warehouse (dbt) failed on this file's rows",
    ),
    Rule(
        "GX",
        ERROR,
        "校验未能运行（文件不予接收，须查明原因） / the validation could not run: the file is "
        "not accepted on a check that did not run",
    ),
    Rule("REQ", ERROR, "必填项为空 / a cell that must hold a value is empty"),
    Rule("G4", ERROR, "合计行不等于明细之和 / the 合计 row is not the sum of the rows"),
    Rule("G5", ERROR, "主键重复 / duplicate key"),
    Rule("G6", ERROR, "累计数小于上月 / a cumulative figure is below last month's"),
    Rule(
        "G7",
        WARNING,
        "行数较上月变化超过30% / row count more than 30% off last month's",
        shows="rows",
    ),
    Rule(
        "G8",
        ERROR,
        "该来源此月不报送（报送周期不符） / the source delivers no file for this month (its "
        "cadence)",
    ),
    Rule(
        "G9",
        WARNING,
        "上月报送的项目、集聚区或企业本月缺报 / a project, cluster or enterprise that last "
        "month's file had is missing",
        shows="missing",
    ),
    Rule(
        "G10",
        ERROR,
        "同一事件重复报送（本文件内或本年其他月份） / the same event reported twice: in the "
        "file, or in another month of the year",
    ),
)
