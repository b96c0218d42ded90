"""The raw schema's own tables (the load log, the column positions, the publication log), and
what every raw table and column means, in Chinese and English: the Dagster assets show it,
and `describe_raw` writes it into the DuckDB file (COMMENT ON), so that `duckdb_tables()` and
`duckdb_columns()` explain the warehouse to any client."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from orchestration.lib.delivery.sources import LINEAGE_COLUMNS, SOURCES, Source


@dataclass(frozen=True)
class Table:
    name: str  # raw.<name>
    comment: str  # 中文 / English
    columns: tuple[tuple[str, str, str], ...]  # name, type and constraint, 中文 / English

    def ddl(self) -> str:
        columns = ",\n    ".join(f"{name} {kind}" for name, kind, _ in self.columns)
        return f"create table if not exists raw.{self.name} (\n    {columns}\n)"

    def column_comments(self) -> dict[str, str]:
        return {name: text for name, _, text in self.columns}


LOAD_LOG = Table(
    "load_log",
    "载入日志：每个文件每次载入的结果（文件名、SHA-256、行数、结果、规则） / The load log: "
    "every attempt to load a file (name, SHA-256, rows, outcome, rules broken)",
    (
        ("source", "varchar not null", "来源 / the source (raw folder)"),
        (
            "month",
            "varchar",
            "报告期 YYYY-MM（无法识别时为空） / reporting month, empty if unknown",
        ),
        ("file_name", "varchar", "文件名 / the file's name"),
        ("sha256", "varchar", "文件的 SHA-256 / the file's SHA-256"),
        ("rows_read", "bigint", "读取行数 / rows read from the file"),
        (
            "outcome",
            "varchar not null",
            "结果：loaded、unchanged、rejected、skipped / the outcome: loaded, unchanged, "
            "rejected or skipped",
        ),
        ("failed_rules", "varchar", "未通过的规则编号 / the ids of the rules the file broke"),
        ("message", "varchar", "说明 / what went wrong, as the terminal printed it"),
        ("started_at", "timestamp not null", "开始时间（UTC） / when the load started (UTC)"),
        ("finished_at", "timestamp not null", "结束时间（UTC） / when the load ended (UTC)"),
        ("load_id", "varchar", "载入编号 / the load's id (raw rows' load_id)"),
        (
            "validated_with",
            "varchar",
            "校验所用规则与读取方式的指纹 / a fingerprint of the reader and the rules the file "
            "was validated with",
        ),
        (
            "findings",
            "varchar",
            "校验结果（JSON：问题及所查规则） / what validation found and checked (JSON): a "
            "file delivered again unchanged, under the same rules, keeps this verdict",
        ),
    ),
)
LOAD_COLUMNS = Table(
    "load_columns",
    "列位置：每次载入各列在工作表中的列字母、表头与单位换算 / Where each load's columns stand in "
    "its sheet: with a raw row's excel_row, the cell address of each raw value",
    (
        ("load_id", "varchar not null", "载入编号 / the load (raw.load_log.load_id)"),
        ("raw_table", "varchar not null", "原始表 / the raw table the column went to"),
        ("sheet", "varchar not null", "工作表 / the sheet it was read from"),
        ("column_name", "varchar not null", "数仓列名 / the warehouse column"),
        ("header", "varchar", "文件中的表头 / the header as the file wrote it"),
        ("excel_column", "varchar not null", "Excel 列字母 / the Excel column letter"),
        ("unit", "varchar", "文件中的单位 / the unit the file used"),
        (
            "to_raw_factor",
            "double not null",
            "换算为数仓单位的系数 / the factor to the warehouse's unit (万元)",
        ),
    ),
)
PUBLICATIONS = Table(
    "publications",
    "发布日志：每次运行发布数仓的时间（UTC） / The publication log: when each run published the "
    "warehouse (UTC); the indicator history dates each version by it",
    (
        ("run_id", "varchar not null", "发布的运行（Dagster run id） / the run that published"),
        ("published_at", "timestamp not null", "发布时间（UTC） / when it published (UTC)"),
    ),
)
LOG_TABLES = (LOAD_LOG, LOAD_COLUMNS, PUBLICATIONS)


def sheet_comment(source: Source, sheet: Source) -> str:
    zh = f"{source.title_zh}·{sheet.title_zh}" if source.parts else source.title_zh
    return f"{zh}（原始层，金额为万元） / {sheet.title_en}, as delivered (money in 万元)"


def column_comments(sheet: Source) -> dict[str, str]:
    """Each column of a source's raw table: the header the file writes / what it holds."""
    own = {c.name: f"{c.display_header} / {c.description}" for c in sheet.all_columns}
    return own | {name: text for name, _, text in LINEAGE_COLUMNS}


def comments() -> dict[str, tuple[str, dict[str, str]]]:
    """raw table → (its comment, its columns' comments)."""
    described = {
        sheet.name: (sheet_comment(source, sheet), column_comments(sheet))
        for source in SOURCES.values()
        for sheet in source.sheets
    }
    return described | {t.name: (t.comment, t.column_comments()) for t in LOG_TABLES}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def describe_raw(conn: duckdb.DuckDBPyConnection) -> None:
    """COMMENT ON every raw table and column whose comment is not already the one above."""
    tables = dict(
        conn.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'raw'"
        ).fetchall()
    )
    columns = {
        (t, c): comment
        for t, c, comment in conn.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'raw'"
        ).fetchall()
    }
    for table, (comment, column_texts) in comments().items():
        if table not in tables:
            continue
        if tables[table] != comment:
            conn.execute(f"comment on table raw.{table} is {_literal(comment)}")
        for column, text in column_texts.items():
            if (table, column) in columns and columns[table, column] != text:
                conn.execute(f"comment on column raw.{table}.{column} is {_literal(text)}")
