"""Disclosure control of the confidential indicators (orchestration/lib/release/disclosure.py):
each value's CONF_STATUS (F free, C primary, D secondary), the rule that holds it, who makes
it, and the range the audit's linear programmes found for a held one.

Incremental by year: a build decides the years its window of months touches, whole (a year's
months are tied by its year to date; years are not tied), so a month's load does not audit
the warehouse's whole history again. A year is decided the same way whenever it is built."""

import pandas as pd

from orchestration.lib.release.disclosure import Concentration, Interior, control


def model(dbt, session):
    # materialized incrementally on DuckDB, as a table on Spark (_disclosure__models.yml);
    # `session` is DuckDB's connection or a SparkSession, and the relations are either's
    spark = hasattr(session, "createDataFrame")
    # the first month of the build's window (the yml renders it from PSW_MIN_MONTH), its year
    since = (
        str(dbt.config.get("window_start") or "1900-01-01")[:4] if dbt.is_incremental else "1900"
    )

    def ordered(relation, *keys):
        """The window's years of the relation, in a fixed order: the same build gives the
        same pattern and the same audit, whatever order DuckDB's threads hand rows over in."""
        relation = relation.filter(f"period >= date '{since}-01-01'")
        if spark:
            return relation.orderBy(*keys).toPandas().itertuples()
        return relation.order(", ".join(keys)).df().itertuples()

    cell = ("indicator_code", "period", "scope_type", "scope_code")
    catalogue = dbt.ref("dim_indicator")
    catalogue = catalogue.toPandas() if spark else catalogue.df()
    kinds = {
        row.indicator_code: row.disclosure
        for row in catalogue.itertuples()
        if isinstance(row.disclosure, str)
    }
    values = {
        (row.indicator_code, row.period, row.scope_type, row.scope_code): float(row.value)
        for row in ordered(dbt.ref("int_indicator_values"), *cell)
    }
    concentrations = {
        (row.indicator_code, row.period, row.scope_type, row.scope_code): Concentration(
            int(row.contributors), float(row.total_abs), float(row.largest_abs)
        )
        for row in ordered(dbt.ref("int_indicator_concentration"), *cell)
    }
    interior = [
        Interior(
            row.indicator_code,
            row.period,
            frozenset(tuple(scope.split(":", 1)) for scope in row.scopes),
            float(row.amount),
        )
        for row in ordered(
            dbt.ref("int_indicator_interior_cells"), "indicator_code", "period", "scopes"
        )
    ]
    outcome = control(values, concentrations, kinds, interior)
    rows = []
    for cell, status in outcome.status.items():
        concentration = concentrations.get(cell, Concentration(0, 0.0, 0.0))
        rows.append(
            {
                "indicator_code": cell[0],
                "period": cell[1],
                "scope_type": cell[2],
                "scope_code": cell[3],
                "value": values[cell],
                "conf_status": status,
                "held_by": outcome.rule.get(cell),
                "contributors": concentration.contributors,
                "largest_share": concentration.largest_share,
                # to a hundredth of a 万元: the solver's last digits are not the figure's
                "audit_lower": _rounded(outcome.lower.get(cell)),
                "audit_upper": _rounded(outcome.upper.get(cell)),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).astype(COLUMNS)
    if spark:
        return _spark_frame(session, frame)
    # a period is a date, as in every other table (pandas would make it a timestamp)
    return session.from_df(frame).project(
        ", ".join(
            "cast(period as date) as period" if name == "period" else name for name in COLUMNS
        )
    )


def _spark_frame(session, frame):
    """The rows as a Spark DataFrame of the table's types (pandas' own conversion is not
    relied on: pyspark has not caught up with pandas 3)."""
    types = {"string": "string", "datetime64[s]": "date", "float64": "double", "int64": "bigint"}
    records = [
        tuple(
            None
            if pd.isna(value)
            else value.date()
            if name == "period"
            else getattr(value, "item", lambda value=value: value)()
            for name, value in zip(COLUMNS, row, strict=True)
        )
        for row in frame.itertuples(index=False)
    ]
    schema = ", ".join(f"{name} {types[kind]}" for name, kind in COLUMNS.items())
    return session.createDataFrame(records, schema=schema)


def _rounded(end):
    return None if end is None else round(end, 4) + 0.0


# the table's columns and types, also when no value is confidential (only projects loaded)
COLUMNS = {
    "indicator_code": "string",
    "period": "datetime64[s]",
    "scope_type": "string",
    "scope_code": "string",
    "value": "float64",
    "conf_status": "string",
    "held_by": "string",
    "contributors": "int64",
    "largest_share": "float64",
    "audit_lower": "float64",
    "audit_upper": "float64",
}
